import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

import { type WebSocket, type WebSocketServer } from "ws";

import { type Env } from "../../env";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { recordRequest } from "../../observability/metrics";
import { requestIdFrom } from "../rest/request-id";
import { authenticateUpgrade, type UpgradeCaller } from "./authenticate-upgrade";
import { connectionSlots, type ConnectionLimits } from "./connection-slots";
import { recheckConnections } from "./recheck-connections";
import { refuseUpgrade } from "./refuse-upgrade";
import { measureSockets } from "./socket-metrics";

export type WebSocketDoorOptions = {
  /** LAKE_TRUST_PROXY: client address, scheme and host from X-Forwarded-* (see client-ip.ts). */
  trustProxy: boolean;
  /** LAKE_PUBLIC_URL, an origin a cookie-authenticated handshake may come from. */
  publicUrl?: string;
  limits: ConnectionLimits;
  /** How often open sockets' credentials are checked again. */
  recheckMs: number;
};

export function webSocketDoorOptions(config: Env): WebSocketDoorOptions {
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

/**
 * What every authenticated WebSocket endpoint of the Lake does around its protocol (the stream
 * hub, GraphQL over WebSocket): a handshake is counted against the connection limits and
 * authenticated before the protocol switches — refusals are plain HTTP answers in the envelope —
 * and measured; each open socket's caller is kept, and its credential checked again every
 * `recheckMs`, the socket closed (1008) once it no longer holds. Each endpoint has its own budget.
 */
export function authenticatedSockets(options: {
  wss: WebSocketServer;
  endpoint: string;
  config: WebSocketDoorOptions;
  /** The socket is open: the endpoint's protocol takes it from here. */
  open: (socket: WebSocket, caller: UpgradeCaller, request: IncomingMessage) => void;
  /** What a socket is told before a credential check closes it (recheckConnections' default). */
  notify?: Parameters<typeof recheckConnections>[1];
}) {
  const { wss, endpoint, config } = options;
  const connections = new Map<WebSocket, UpgradeCaller>();
  const slots = connectionSlots(config.limits);
  measureSockets(endpoint, () => connections.size);

  function measured(requestId: string, started: number, status: number) {
    const seconds = (performance.now() - started) / 1000;
    recordRequest({ endpoint, method: "GET", status, seconds });
    logger().info(
      { requestId, method: "GET", endpoint, status, ms: Math.round(seconds * 1000) },
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
      const caller = await authenticateUpgrade({ request, ...config });
      if (socket.destroyed) return;
      const release = slots.acquire(caller.principal.userId);
      // The raw socket closes however the connection ends, handshake refused by ws included.
      socket.once("close", release);
      socket.off("error", dropped);
      wss.handleUpgrade(request, socket, head, (ws) => {
        connections.set(ws, caller);
        ws.once("close", () => connections.delete(ws));
        measured(requestId, started, 101);
        options.open(ws, caller, request);
      });
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "internal_error") {
        logger().error({ err: thrown, requestId, endpoint }, "unhandled error");
      }
      measured(requestId, started, error.status);
      refuseUpgrade(socket, error, requestId);
    }
  }

  let sweep: Promise<void> | undefined;
  const recheck = () => {
    // One sweep at a time: a slow database must not pile them up.
    sweep ??= recheckConnections(connections, options.notify)
      .catch((error: unknown) =>
        logger().error({ err: error, endpoint }, "credential check failed"),
      )
      .finally(() => (sweep = undefined));
    return sweep;
  };
  const recheckTimer = setInterval(() => void recheck(), config.recheckMs).unref();

  return {
    handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      void accept(request, socket, head),
    /** The caller of an open socket (its principal as of the last credential check). */
    callerOf: (socket: WebSocket) => connections.get(socket),
    recheck,
    stop: () => clearInterval(recheckTimer),
  };
}
