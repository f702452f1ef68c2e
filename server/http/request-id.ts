import { randomUUID } from "node:crypto";

const VALID = /^[\w.:-]{1,128}$/;

/** Keeps a caller's X-Request-Id when it is safe to echo and log; otherwise makes one. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && VALID.test(given) ? given : randomUUID();
}
