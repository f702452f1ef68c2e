import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

const VALID = /^[\w.:-]{1,128}$/;

/** Keeps a caller's X-Request-Id when it is safe to echo and log; otherwise makes one. */
export function requestIdFrom(headers: Headers | IncomingHttpHeaders): string {
  const given = headers instanceof Headers ? headers.get("x-request-id") : headers["x-request-id"];
  return typeof given === "string" && VALID.test(given) ? given : randomUUID();
}
