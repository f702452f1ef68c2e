import type { Redis } from "ioredis";

export type RateLimitResult = {
  allowed: boolean;
  limit: number;
  /** Points still available in the window now (a rejected request took none). */
  remaining: number;
  /**
   * Milliseconds, with a sliding window:
   * - allowed: until the full limit is available again, i.e. the window's length, since the
   *   newest entry is this request;
   * - rejected: until enough counted requests have left the window for this request (same
   *   points) to pass, if nobody else consumes meanwhile — for one point, until the oldest
   *   counted request leaves. An honest Retry-After. A request costing more than the limit never
   *   passes; it gets the time until the window is empty.
   */
  resetMs: number;
};

export interface RateLimiter {
  /**
   * Never throws for an exhausted limit (that is `allowed: false`) nor for Redis being down.
   * Rejects only a `points` that is not a positive integer: a caller bug.
   */
  consume(key: string, points?: number): Promise<RateLimitResult>;
}

export type CreateRateLimiterOptions = {
  /** Logs shared by every instance; without it, limits are per process. */
  redis?: Redis;
  /** Namespaces the Redis logs: two limiters with one prefix on one Redis share their budgets. */
  keyPrefix: string;
  /** Points allowed in any window of `durationSeconds` (a positive integer). */
  points: number;
  /** The window's length; fractions allowed (millisecond precision). */
  durationSeconds: number;
};
