import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

import { PROBE_ENDPOINTS } from "../../observability/request-history";
import { requestOrigin } from "./request-origin";

export type SecurityHeaderOptions = {
  trustProxy: boolean;
  /** `npm run dev`: React's dev build and Next's HMR need eval. */
  dev?: boolean;
};

// One year; no includeSubDomains or preload: other hosts under the same domain are not ours to pin.
const HSTS = "max-age=31536000";

/**
 * The page policy. Scripts run only with this response's nonce, or when loaded by a script that
 * has it ('strict-dynamic': Next's runtime inserts its chunks): an injected <script> or inline
 * handler does not run. Next reads the nonce from the request's Content-Security-Policy header and
 * puts it on every script it renders, so pages must render per request (app/layout.tsx). Styles
 * allow 'unsafe-inline' because React style attributes (charts, layout) cannot carry a nonce.
 * connect-src 'self' covers the same-origin WebSocket (the stream, dev HMR).
 */
function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Only when served over https: on plain http it would send subresources to a port that is not
    // listening.
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * The policy of answers that are data, not pages (the public API, the console's tRPC, probes):
 * nothing may load or run, whatever a browser makes of them (OWASP's REST cheat sheet). Fixed, so
 * the API's hot path spends no random bytes on a nonce no script will carry.
 */
const DATA_POLICY = "default-src 'none'; frame-ancestors 'none'";

function isDataPath(url: string | undefined): boolean {
  const path = url?.split("?", 1)[0] ?? "";
  return path.startsWith("/api/v1/") || path.startsWith("/api/trpc/") || PROBE_ENDPOINTS.has(path);
}

/**
 * Security headers for every response, set before any handler runs (server/main.ts): Next's pages
 * and route handlers, and the routes the custom server answers itself. Next keeps headers already
 * on the response, so no handler can drop them. Also replaces the request's
 * Content-Security-Policy header, the one Next takes the script nonce from, so a client cannot
 * choose it.
 */
export function applySecurityHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  options: SecurityHeaderOptions,
): void {
  const { https } = requestOrigin(request, options.trustProxy);
  const policy = isDataPath(request.url)
    ? DATA_POLICY
    : contentSecurityPolicy(randomBytes(16).toString("base64"), {
        dev: options.dev ?? false,
        https,
      });
  request.headers["content-security-policy"] = policy;
  delete request.headers["content-security-policy-report-only"];
  response.setHeader("Content-Security-Policy", policy);
  response.setHeader("X-Frame-Options", "DENY");
  response.setHeader("X-Content-Type-Options", "nosniff");
  response.setHeader("Referrer-Policy", "same-origin");
  if (https) response.setHeader("Strict-Transport-Security", HSTS);
}
