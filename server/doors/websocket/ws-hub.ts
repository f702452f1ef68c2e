import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import { WebSocketServer, type WebSocket } from "ws";

import { type Env } from "../../env";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { recordRequest } from "../../observability/metrics";
import { VERSION } from "../../version";
import { requestIdFrom } from "../rest/request-id";
import { authenticateUpgrade, type UpgradeCaller } from "./authenticate-upgrade";
import { connectionSlots, type ConnectionLimits } from "./connection-slots";
import { recheckConnections } from "./recheck-connections";
import { refuseUpgrade } from "./refuse-upgrade";
import { STREAM_PATH } from "./stream-path";
import { streamSession } from "./stream-session";
import { STREAM_PROTOCOL } from "./upgrade-credentials";

const HEARTBEAT_MS = 30_000;

export type WsHubOptions = {
  /** LAKE_TRUST_PROXY: client address, scheme and host from X-Forwarded-* (see client-ip.ts). */
  trustProxy: boolean;
  /** LAKE_PUBLIC_URL, an origin a cookie-authenticated handshake may come from. */
  publicUrl?: string;
  limits: ConnectionLimits;
  /** How often open sockets' credentials are checked again. */
  recheckMs: number;
};

export function wsHubOptions(config: Env): WsHubOptions {
  return {
    trustProxy: config.LAKE_TRUST_PROXY,
    publicUrl: config.LAKE_PUBLIC_URL,
    limits: {
      perInstance: config.LAKE_WS_MAX_CONNECTIONS,
      perPrincipal: config.LAKE_WS_MAX_CONNECTIONS_PER_PRINCIPAL,
    },
    recheckMs: config.LAKE_WS_RECHECK_SECONDS * 1000,
  };
}

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
export function createWsHub(options: WsHubOptions): WsHub {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024 * 1024,
    // Never the lake.bearer. one: that would echo the credential back.
    handleProtocols: (offered) => (offered.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
  });
  const alive = new WeakSet<WebSocket>();
  const connections = new Map<WebSocket, UpgradeCaller>();
  const slots = connectionSlots(options.limits);

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

  function measured(requestId: string, started: number, status: number) {
    const seconds = (performance.now() - started) / 1000;
    recordRequest({ endpoint: STREAM_PATH, method: "GET", status, seconds });
    logger().info(
      { requestId, method: "GET", endpoint: STREAM_PATH, status, ms: Math.round(seconds * 1000) },
      "request",
    );
  }

  async function accept(request: IncomingMessage, socket: Duplex, head: Buffer) {
    const started = performance.now();
    const requestId = requestIdFrom(request.headers);
    // A client that leaves while it is being authenticated must not become an unhandled error.
    const dropped = () => socket.destroy();
    socket.on("error", dropped);
    try {
      slots.assertRoom();
      const caller = await authenticateUpgrade({ request, ...options });
      if (socket.destroyed) return;
      const release = slots.acquire(caller.principal.userId);
      // The raw socket closes however the connection ends, handshake refused by ws included.
      socket.once("close", release);
      socket.off("error", dropped);
      wss.handleUpgrade(request, socket, head, (ws) => {
        connections.set(ws, caller);
        ws.once("close", () => connections.delete(ws));
        measured(requestId, started, 101);
        wss.emit("connection", ws, caller);
      });
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "internal_error") {
        logger().error({ err: thrown, requestId, endpoint: STREAM_PATH }, "unhandled error");
      }
      measured(requestId, started, error.status);
      refuseUpgrade(socket, error, requestId);
    }
  }

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

  let sweep: Promise<void> | undefined;
  const recheck = () => {
    // One sweep at a time: a slow database must not pile them up.
    sweep ??= recheckConnections(connections)
      .catch((error: unknown) => logger().error({ err: error }, "stream credential check failed"))
      .finally(() => (sweep = undefined));
    return sweep;
  };
  const recheckTimer = setInterval(() => void recheck(), options.recheckMs).unref();

  return {
    handleUpgrade: (request, socket, head) => void accept(request, socket, head),
    clients: () => wss.clients.size,
    recheck,
    close() {
      clearInterval(heartbeat);
      clearInterval(recheckTimer);
      for (const socket of wss.clients) socket.close(1001, "server shutting down");
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
