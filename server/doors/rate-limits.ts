import { type Principal } from "../auth/principal";
import { type CacheServices } from "../cache/cache-services";
import { type RateLimitResult } from "../cache/rate-limit";
import { rateLimiterFor } from "../cache/rate-limiter-registry";
import { env } from "../env";
import { AppError } from "../errors/app-error";
import { rateLimitHeaders } from "./rate-limit-headers";

export type RateLimitRule = {
  /** Counters are per bucket and per principal (per key for API keys). */
  bucket: string;
  /** Requests per hour; an API key's own limit, when set, replaces it (not a field's: below). */
  perHour: () => number;
  /** A limit of one expensive field (GraphQL's @rateLimit), on top of the endpoint's. */
  field?: true;
};

/**
 * The seed's limit on the data API — records, datasets, batch, vectors — 1000 requests per
 * principal per hour, shared by every route and procedure onto those services.
 */
export const dataRateLimit: RateLimitRule = {
  bucket: "data",
  perHour: () => env().LAKE_RATE_LIMIT_DATA_PER_HOUR,
};

/** Every import request (tus chunks, job calls, the console's import pages) shares one budget. */
export const importRateLimit: RateLimitRule = {
  bucket: "import",
  perHour: () => env().LAKE_RATE_LIMIT_IMPORT_PER_HOUR,
};

/**
 * Real-time traffic — a POST of events, a gRPC Ingest batch, WriteTimeSeries or Subscribe call,
 * opening a server-sent event stream — has its own budget (WebSockets are bounded by their
 * connection limits instead): a producer sending a batch a second must not
 * spend the data API's 1000 an hour in 17 minutes, nor starve the same user's REST calls.
 */
export const streamRateLimit: RateLimitRule = {
  bucket: "stream",
  perHour: () => env().LAKE_RATE_LIMIT_STREAM_PER_HOUR,
};

/**
 * Counts one request of `principal` against `rule`. The one place limits are applied, for every
 * door (REST's apiRoute, tRPC's procedures): the counter depends on the rule and the principal
 * only, so a user's console and API calls draw on the same budget. Returns the result for the
 * RateLimit-* headers; a spent budget throws 429 rate_limited carrying them and Retry-After.
 */
export async function consumeRateLimit(options: {
  cache: CacheServices;
  principal: Principal;
  rule: RateLimitRule;
}): Promise<RateLimitResult> {
  const { principal, rule } = options;
  const perHour = (!rule.field && principal.apiKeyRateLimitPerHour) || rule.perHour();
  const subject = principal.apiKeyId ? `key:${principal.apiKeyId}` : `user:${principal.userId}`;
  const limiter = rateLimiterFor(options.cache, {
    keyPrefix: `api:${rule.bucket}`,
    points: perHour,
    durationSeconds: 3600,
  });
  const result = await limiter.consume(subject);
  if (!result.allowed) {
    throw new AppError(
      "rate_limited",
      `Rate limit of ${perHour} requests per hour exceeded.`,
      { limit: perHour, retry_after_seconds: Math.max(1, Math.ceil(result.resetMs / 1000)) },
      rateLimitHeaders(result),
    );
  }
  return result;
}
