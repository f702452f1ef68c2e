import fc from "fast-check";

import { type WsCase } from "./fuzz-case";
import { labeled, type Labeled } from "./malformed";
import { frame, STREAM, text } from "./ws-client";

// Cases for the WebSocket at /api/v1/lake/stream: frames broken in ways a WebSocket library
// refuses to send (reserved bits and opcodes, unmasked or oversized frames, bad UTF-8, stray
// continuations, bad close codes), messages the hub does not expect, and odd handshakes. Sent by
// ws-client.ts over a raw socket.

const closePayload = (code: number, reason: Buffer | string = "") => {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return Buffer.concat([payload, Buffer.from(reason)]);
};

const frames = fc.oneof<fc.Arbitrary<Labeled<Buffer[]>>[]>(
  labeled(
    "frame:not-json",
    fc.string({ maxLength: 200 }).map((s) => [text(s)]),
  ),
  labeled(
    "frame:unknown-type",
    fc
      .jsonValue({ maxDepth: 3 })
      .map((type) => [text(JSON.stringify({ type })), text("{}"), text("[]")]),
  ),
  labeled(
    "frame:json-scalar",
    fc.constantFrom("null", "0", '"ping"', "true", " null ").map((m) => [text(m)]),
  ),
  labeled(
    "frame:odd-ping",
    fc
      .constantFrom(
        '{"type":"ping","id":1e400}',
        `{"type":"ping","id":"${"x".repeat(100_000)}"}`,
        '{"type":"ping","id":"\\ud800\\u0000"}',
        '{"type":"ping","__proto__":{"type":"x"}}',
      )
      .map((m) => [text(m)]),
  ),
  labeled(
    "frame:deep-json",
    fc.integer({ min: 5_000, max: 100_000 }).map((n) => [text(`${"[".repeat(n)}${"]".repeat(n)}`)]),
  ),
  labeled(
    "frame:invalid-utf8",
    fc
      .constantFrom([0xff, 0xfe], [0xed, 0xa0, 0x80], [0xc3])
      .map((b) => [frame(0x1, Buffer.from(b))]),
  ),
  labeled(
    "frame:binary",
    fc.uint8Array({ maxLength: 2_000 }).map((b) => [frame(0x2, Buffer.from(b))]),
  ),
  labeled("frame:unmasked", fc.constant([text('{"type":"ping"}', { mask: false })])),
  labeled(
    "frame:rsv-bits",
    fc.integer({ min: 1, max: 7 }).map((rsv) => [text("{}", { rsv })]),
  ),
  labeled(
    "frame:reserved-opcode",
    fc.constantFrom(3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf).map((op) => [frame(op, "x")]),
  ),
  labeled("frame:stray-continuation", fc.constant([frame(0x0, "x")])),
  labeled(
    "frame:fragmented",
    fc.constant([text('{"type":', { fin: false }), frame(0x0, '"ping","id":3}')]),
  ),
  labeled(
    "frame:long-control",
    fc.constantFrom(0x9, 0xa, 0x8).map((op) => [frame(op, Buffer.alloc(126, 1))]),
  ),
  labeled("frame:fragmented-control", fc.constant([frame(0x9, "x", { fin: false })])),
  labeled(
    "frame:bad-close",
    fc
      .constantFrom(
        closePayload(999),
        closePayload(1005),
        closePayload(1006),
        closePayload(5000),
        Buffer.from([3]),
        closePayload(1000, Buffer.from([0xff])),
      )
      .map((p) => [frame(0x8, p)]),
  ),
  labeled(
    "frame:oversize-declared",
    fc
      .constantFrom(2n ** 62n, 2n ** 63n + 1n, 1_048_577n)
      .map((n) => [text("", { declaredLength: n })]),
  ),
  labeled(
    "frame:flood",
    fc
      .integer({ min: 50, max: 300 })
      .map((n) => Array.from({ length: n }, (_, i) => text(`{"type":"ping","id":${i}}`))),
  ),
  labeled(
    "frame:control-ping",
    fc.uint8Array({ maxLength: 125 }).map((b) => [frame(0x9, Buffer.from(b))]),
  ),
);

type Handshake = { method: string; target: string; headers: Record<string, string | undefined> };
const PLAIN: Handshake = { method: "GET", target: STREAM, headers: {} };

const oddHandshakes: fc.Arbitrary<Labeled<Handshake>> = fc.oneof(
  labeled(
    "handshake:bad-headers",
    fc
      .constantFrom<Record<string, string | undefined>>(
        { "sec-websocket-key": undefined },
        { "sec-websocket-key": "abc" },
        { "sec-websocket-version": "8" },
        { "sec-websocket-version": "garbage" },
        { upgrade: "h2c" },
        { "sec-websocket-extensions": "permessage-deflate; client_max_window_bits=99; x" },
        { "sec-websocket-protocol": ", , ,\u00ff" },
        { authorization: "Bearer garbage" },
      )
      .map((headers) => ({ ...PLAIN, headers })),
  ),
  labeled(
    "handshake:odd-target",
    fc
      .constantFrom(
        `${STREAM}/`,
        `${STREAM}?x=%ZZ`,
        `${STREAM}%00`,
        "/api/v1/lake/%ZZ",
        `/${STREAM}`,
        `${STREAM}/../stream`,
        STREAM.toUpperCase(),
        "http://[::1/api/v1/lake/stream",
        "http://evil.example/api/v1/lake/stream",
        "*",
      )
      .map((target) => ({ ...PLAIN, target })),
  ),
  labeled(
    "handshake:method",
    fc.constantFrom("POST", "PUT", "DELETE", "OPTIONS").map((method) => ({ ...PLAIN, method })),
  ),
);

const wsCase = (input: string, handshake: Handshake, written: Buffer[]): WsCase => ({
  kind: "ws",
  door: "ws",
  route: `${handshake.method} ${STREAM} (upgrade)`,
  input,
  // The hub takes no credential (see the report): every case is unauthenticated.
  auth: "none",
  ...handshake,
  frames: written,
});

/** Mostly broken frames after a good handshake; the rest odd handshakes, then only the final ping. */
export const wsCases: fc.Arbitrary<WsCase> = fc.oneof(
  { weight: 4, arbitrary: frames.map(([label, written]) => wsCase(label, PLAIN, written)) },
  { weight: 1, arbitrary: oddHandshakes.map(([label, handshake]) => wsCase(label, handshake, [])) },
);
