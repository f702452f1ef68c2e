import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Routes HTTP upgrades by path. Next cannot serve WebSockets, so the custom server owns these
 * paths entirely (no route.ts may sit at them). Anything else goes to `fallback` (Next's dev HMR)
 * or is refused at once: an unanswered upgrade would hang the client.
 */
export function upgradeRouter(routes: Record<string, UpgradeHandler>, fallback?: UpgradeHandler) {
  return (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The path alone: an absolute-form target (`GET http://[::1/…`) must not throw here.
    const pathname = (request.url ?? "/").split("?", 1)[0]!;
    const handler = routes[pathname.replace(/\/+$/, "")];
    if (handler) return handler(request, socket, head);
    if (fallback) return fallback(request, socket, head);
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  };
}
