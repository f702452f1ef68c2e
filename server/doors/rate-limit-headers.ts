import type { RateLimitResult } from "../cache/rate-limit";

/**
 * The rate-limit headers we document, in the IETF draft's (draft-ietf-httpapi-ratelimit-headers)
 * separate-field form: `RateLimit-Reset` is delta seconds, rounded up so a client that waits
 * that long is never early. `Retry-After` (at least 1 s) only on a rejected request, where
 * `resetMs` is the time until that same request would pass.
 */
export function rateLimitHeaders(result: RateLimitResult): Record<string, string> {
  const resetSeconds = Math.max(0, Math.ceil(result.resetMs / 1000));
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(result.limit),
    "RateLimit-Remaining": String(Math.max(0, result.remaining)),
    "RateLimit-Reset": String(resetSeconds),
  };
  if (!result.allowed) headers["Retry-After"] = String(Math.max(1, resetSeconds));
  return headers;
}
