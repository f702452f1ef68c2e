import type { IncomingMessage } from "node:http";

/** Set by server/main.ts on every request; whatever a client sends under this name is replaced. */
export const CLIENT_IP_HEADER = "x-lake-client-ip";

/** The client's address: the socket's, or X-Forwarded-For's first hop when behind a trusted proxy. */
export function clientIpOf(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  if (trustProxy && first) return first;
  return (request.socket.remoteAddress ?? "unknown").replace(/^::ffff:/, "");
}

export function clientIpFrom(headers: Headers): string | null {
  return headers.get(CLIENT_IP_HEADER);
}
