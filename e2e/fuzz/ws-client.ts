import { randomBytes } from "node:crypto";
import { connect } from "node:net";

import { type Outcome, type WsCase } from "./fuzz-case";

// A WebSocket client on a raw socket, so that the fuzzer can write any bytes as frames. The
// contract it checks: the handshake is answered, and after the case's frames a final ping is
// answered with its pong or the connection is closed (a protocol error closes it) — never left
// hanging, never closed with 1011 (internal error), every message JSON with an error_code when
// it is an error.

export const STREAM = "/api/v1/lake/stream";
const END_ID = "fuzz-end";

type FrameOptions = { fin?: boolean; rsv?: number; mask?: boolean; declaredLength?: bigint };

/** One frame as RFC 6455 lays it out; clients must mask, so masking is on unless told not to. */
export function frame(
  opcode: number,
  payload: Buffer | string,
  options: FrameOptions = {},
): Buffer {
  const data = Buffer.from(payload);
  const { fin = true, rsv = 0, mask = true } = options;
  const length = options.declaredLength ?? BigInt(data.length);
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  let extended = Buffer.alloc(0);
  if (length < 126n) head.push(Number(length));
  else if (length < 65_536n) {
    head.push(126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(Number(length));
  } else {
    head.push(127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(length);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), extended, data]);
  head[1]! |= 0x80;
  const key = randomBytes(4);
  const masked = Buffer.from(data.map((byte, i) => byte ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), extended, key, masked]);
}

export const text = (payload: string, options?: FrameOptions) => frame(0x1, payload, options);

/** Server frames, which are never masked. */
function* readFrames(buffer: { data: Buffer }) {
  for (;;) {
    const b = buffer.data;
    if (b.length < 2) return;
    let length = b[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return;
      length = Number(b.readBigUInt64BE(2));
      offset = 10;
    }
    if (b.length < offset + length) return;
    buffer.data = b.subarray(offset + length);
    yield { opcode: b[0]! & 0x0f, payload: b.subarray(offset, offset + length) };
  }
}

export function runWsCase(baseURL: string, wsCase: WsCase, timeoutMs: number): Promise<Outcome> {
  const url = new URL(baseURL);
  const started = performance.now();
  const headers: Record<string, string | undefined> = {
    host: url.host,
    upgrade: "websocket",
    connection: "Upgrade",
    "sec-websocket-key": randomBytes(16).toString("base64"),
    "sec-websocket-version": "13",
    ...wsCase.headers,
  };
  const head = [
    `${wsCase.method} ${wsCase.target} HTTP/1.1`,
    ...Object.entries(headers)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${v}`),
  ];

  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    const violations: string[] = [];
    const seen: string[] = [];
    let status: number | undefined;
    let greeted = false;
    const pending = { data: Buffer.alloc(0) };
    let done = false;
    const finish = (outcome: Outcome["status"], extra?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (extra) violations.push(extra);
      resolve({
        status: outcome,
        ms: performance.now() - started,
        violations,
        excerpt: seen.join(" | ").slice(0, 300),
      });
    };
    const timer = setTimeout(
      () =>
        finish(
          status ?? "timeout",
          status === 101
            ? greeted
              ? "no pong and no close after the frames"
              : "no greeting"
            : "no answer to the handshake",
        ),
      timeoutMs,
    );
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (status === undefined) finish("no-answer", "connection closed without a handshake answer");
      else finish(status);
    });
    socket.write(`${head.join("\r\n")}\r\n\r\n`);
    socket.on("data", (chunk: Buffer) => {
      pending.data = Buffer.concat([pending.data, chunk]);
      if (status === undefined) {
        const end = pending.data.indexOf("\r\n\r\n");
        if (end < 0) return;
        const responseHead = pending.data.subarray(0, end).toString("latin1");
        status = Number(/^HTTP\/1\.1 (\d{3})/.exec(responseHead)?.[1] ?? 0);
        pending.data = pending.data.subarray(end + 4);
        seen.push(responseHead.split("\r\n")[0]!);
        if (status !== 101) {
          if (status >= 500) violations.push(`handshake answered ${status}`);
          return finish(status);
        }
      }
      for (const { opcode, payload } of readFrames(pending)) {
        if (opcode === 0x8) {
          const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
          seen.push(`close ${code}`);
          return finish(101, code === 1011 ? "closed with 1011 (internal error)" : undefined);
        }
        if (opcode !== 0x1) continue;
        const message = payload.toString();
        seen.push(message.slice(0, 120));
        let parsed: { type?: unknown; id?: unknown; error_code?: unknown };
        try {
          parsed = JSON.parse(message) as typeof parsed;
        } catch {
          violations.push("a server message is not JSON");
          continue;
        }
        if (parsed.type === "error" && typeof parsed.error_code !== "string")
          violations.push("an error message without error_code");
        if (!greeted) {
          greeted = true;
          socket.write(
            Buffer.concat([...wsCase.frames, text(JSON.stringify({ type: "ping", id: END_ID }))]),
          );
        } else if (parsed.type === "pong" && parsed.id === END_ID) {
          return finish(101);
        }
      }
    });
  });
}
