import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import { WebSocketServer, type WebSocket } from "ws";

import { VERSION } from "../../version";
import { type UpgradeCaller } from "./authenticate-upgrade";
import { authenticatedSockets, type WebSocketDoorOptions } from "./authenticated-sockets";
import { STREAM_PATH } from "./stream-path";
import { streamSession } from "./stream-session";
import { STREAM_PROTOCOL } from "./upgrade-credentials";

const HEARTBEAT_MS = 30_000;

export type WsHub = {
  handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  clients(): number;
  /** The periodic credential check, now (tests; a future pub/sub signal). */
  recheck(): Promise<void>;
  /** Closes every socket with 1001 (going away) so clients reconnect to another instance. */
  close(): Promise<void>;
};

const send = (socket: WebSocket, message: object) => socket.send(JSON.stringify(message));

/**
 * The WebSocket endpoint at /api/v1/lake/stream, owned by the custom server. A handshake is
 * authenticated and counted before the protocol switches (refusals are plain HTTP answers in the
 * envelope); an open socket greets, speaks the stream protocol (stream-session.ts), is dropped
 * when it stops answering heartbeats and closed when its credential stops holding.
 */
export function createWsHub(options: WebSocketDoorOptions): WsHub {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    // Never the lake.bearer. one: that would echo the credential back.
    handleProtocols: (offered) => (offered.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
  });
  const alive = new WeakSet<WebSocket>();
  const sockets = authenticatedSockets({
    wss,
    endpoint: STREAM_PATH,
    config: options,
    open: (ws, caller) => wss.emit("connection", ws, caller),
  });

  wss.on("connection", (socket: WebSocket, caller: UpgradeCaller) => {
    alive.add(socket);
    // A malformed frame (bad opcode, oversize, invalid UTF-8) is an 'error' on the socket; without
    // a listener it would be an unhandled error and take the whole process down.
    socket.on("error", () => socket.terminate());
    socket.on("pong", () => alive.add(socket));
    const session = streamSession(socket, caller);
    socket.on("message", (data) => session.receive(data));
    socket.once("close", () => session.close());
    send(socket, { type: "hello", server: "datapunk-lake", version: VERSION });
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
    handleUpgrade: sockets.handleUpgrade,
    clients: () => wss.clients.size,
    recheck: sockets.recheck,
    close() {
      clearInterval(heartbeat);
      sockets.stop();
      for (const socket of wss.clients) socket.close(1001, "server shutting down");
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
