import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import { WebSocketServer, type WebSocket } from "ws";

import { VERSION } from "../../version";

const HEARTBEAT_MS = 30_000;

export type WsHub = {
  handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  clients(): number;
  /** Closes every socket with 1001 (going away) so clients reconnect to another instance. */
  close(): Promise<void>;
};

/**
 * The WebSocket endpoint at /api/v1/lake/stream, owned by the custom server. It greets, answers
 * pings and drops peers that stop answering heartbeats; the stream capability adds topics on top.
 */
export function createWsHub(): WsHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const alive = new WeakSet<WebSocket>();

  wss.on("connection", (socket) => {
    alive.add(socket);
    // A malformed frame (bad opcode, oversize, invalid UTF-8) is an 'error' on the socket; without
    // a listener it would be an unhandled error and take the whole process down.
    socket.on("error", () => socket.terminate());
    socket.on("pong", () => alive.add(socket));
    socket.on("message", (data) => {
      let message: { type?: unknown; id?: unknown };
      try {
        message = JSON.parse(Buffer.from(data as Buffer).toString("utf8")) as typeof message;
      } catch {
        socket.send(
          JSON.stringify({
            type: "error",
            error_code: "invalid_json",
            message: "Messages must be JSON.",
          }),
        );
        return;
      }
      if (message.type === "ping")
        socket.send(JSON.stringify({ type: "pong", id: message.id ?? null }));
      else
        socket.send(
          JSON.stringify({
            type: "error",
            error_code: "bad_request",
            message: `Unknown message type.`,
          }),
        );
    });
    socket.send(JSON.stringify({ type: "hello", server: "datapunk-lake", version: VERSION }));
  });

  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, HEARTBEAT_MS).unref();

  return {
    handleUpgrade: (request, socket, head) => {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
    },
    clients: () => wss.clients.size,
    close() {
      clearInterval(heartbeat);
      for (const socket of wss.clients) socket.close(1001, "server shutting down");
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
