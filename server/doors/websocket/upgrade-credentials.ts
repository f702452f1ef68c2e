import type { IncomingMessage } from "node:http";

import { AppError } from "../../errors/app-error";

/** The stream's protocol; the server always selects it, never the credential below. */
export const STREAM_PROTOCOL = "lake.v1";

/**
 * Browsers cannot set headers on a WebSocket, so a credential may ride in the subprotocol list
 * instead: `new WebSocket(url, ["lake.v1", "lake.bearer." + token])`. Unlike a query parameter it
 * stays out of URLs, and so out of access logs, proxies' logs and browser history. JWTs and API
 * keys are made of token characters, so they need no further encoding.
 */
export const BEARER_PROTOCOL_PREFIX = "lake.bearer.";

/** What authenticateRequest reads: the same three headers as on any other door. */
const CREDENTIAL_HEADERS = ["authorization", "x-api-key", "cookie"] as const;

export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers["sec-websocket-protocol"];
  if (!header) return [];
  return header
    .split(",")
    .map((protocol) => protocol.trim())
    .filter(Boolean);
}

/**
 * The credentials of an upgrade request as headers for authenticateRequest: Authorization,
 * X-API-Key and Cookie as sent, and a `lake.bearer.` subprotocol as `Authorization: Bearer`. Kept
 * with the socket to check the principal again later, so nothing else of the request is copied.
 */
export function upgradeCredentials(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const name of CREDENTIAL_HEADERS) {
    const value = request.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  const offered = offeredProtocols(request);
  const bearers = offered.filter((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX));
  if (bearers.length === 0) return headers;
  if (bearers.length > 1 || headers.has("authorization")) {
    throw new AppError(
      "bad_request",
      "Send one credential: an Authorization header or one lake.bearer. subprotocol.",
    );
  }
  if (!offered.includes(STREAM_PROTOCOL)) {
    // The server never echoes the credential back as the selected subprotocol, and a browser
    // fails a handshake that selects none of what it offered.
    throw new AppError(
      "bad_request",
      `Offer the "${STREAM_PROTOCOL}" subprotocol next to the credential.`,
    );
  }
  headers.set("authorization", `Bearer ${bearers[0]!.slice(BEARER_PROTOCOL_PREFIX.length)}`);
  return headers;
}
