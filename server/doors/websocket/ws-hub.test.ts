import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";

import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { createWsHub } from "./ws-hub";

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

async function startHub() {
  const hub = createWsHub();
  server = createServer();
  server.on("upgrade", hub.handleUpgrade);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { hub, port: (server.address() as AddressInfo).port };
}

function open(port: number): Promise<{ socket: WebSocket; messages: unknown[] }> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
  const messages: unknown[] = [];
  socket.on("message", (data: Buffer) => messages.push(JSON.parse(data.toString())));
  return new Promise((resolve, reject) =>
    socket.once("open", () => resolve({ socket, messages })).once("error", reject),
  );
}

describe("the WebSocket hub", () => {
  it("greets, answers pings and reports bad messages in the envelope's terms", async () => {
    const { hub, port } = await startHub();
    const { socket, messages } = await open(port);
    socket.send(JSON.stringify({ type: "ping", id: 1 }));
    socket.send("not json");
    await expect.poll(() => messages.length).toBe(3);
    expect(messages).toEqual([
      expect.objectContaining({ type: "hello" }),
      { type: "pong", id: 1 },
      expect.objectContaining({ type: "error", error_code: "invalid_json" }),
    ]);
    socket.close();
    await hub.close();
  });

  it("survives a malformed frame: drops that client, keeps serving others", async () => {
    const { hub, port } = await startHub();
    // A raw upgrade, then a frame with a reserved opcode (0x3): ws emits 'error' on the socket.
    const raw = connect(port, "127.0.0.1");
    await new Promise((resolve) => raw.once("connect", resolve));
    raw.write(
      "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    );
    await new Promise((resolve) => raw.once("data", resolve));
    raw.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
    await new Promise((resolve) => raw.once("close", resolve));

    const { socket, messages } = await open(port);
    await expect.poll(() => messages.length).toBe(1);
    socket.close();
    await hub.close();
  });
});
