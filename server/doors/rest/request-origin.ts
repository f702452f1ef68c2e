import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

const firstValue = (header: string | string[] | undefined) =>
  (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim() || undefined;

/**
 * How the client reached us: over https or not, and the host it asked for. The socket's own
 * answer, or X-Forwarded-Proto / X-Forwarded-Host behind a trusted proxy (LAKE_TRUST_PROXY), like
 * the client address in client-ip.ts; without that trust a client could claim https or any host.
 */
export function requestOrigin(
  request: IncomingMessage,
  trustProxy: boolean,
): { https: boolean; host: string | undefined } {
  const direct = Boolean((request.socket as Partial<TLSSocket>).encrypted);
  const proto = trustProxy ? firstValue(request.headers["x-forwarded-proto"]) : undefined;
  const forwardedHost = trustProxy ? firstValue(request.headers["x-forwarded-host"]) : undefined;
  return {
    https: proto ? proto.toLowerCase() === "https" : direct,
    host: forwardedHost ?? request.headers.host,
  };
}

/**
 * Whether a browser request comes from a page of this site: its Origin names the host the request
 * was sent to (or LAKE_PUBLIC_URL). Browsers always send Origin on WebSocket handshakes and on
 * cross-site requests, so a missing one is refused too.
 */
export function isSameOrigin(
  request: IncomingMessage,
  options: { trustProxy: boolean; publicUrl?: string },
): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (options.publicUrl && parsed.origin === new URL(options.publicUrl).origin) return true;
  const { host } = requestOrigin(request, options.trustProxy);
  return host !== undefined && parsed.host === host.toLowerCase();
}
