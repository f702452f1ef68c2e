import type { Redis } from "ioredis";

import { isRedisReady } from "./redis";
import { createMemorySlidingWindow } from "./sliding-window-memory";
import { createRedisSlidingWindow } from "./sliding-window-redis";

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

/**
 * Sliding-window log: a request passes when the points counted in the last `durationSeconds`,
 * plus its own, stay within `points`, so no window of that length — wherever it starts — ever
 * holds more (a fixed window lets 2× through across a boundary). Rejected requests are not
 * counted, so a client retrying while limited does not extend its wait.
 *
 * With Redis, the log is shared (see `sliding-window-redis.ts`); whenever Redis is not ready or a
 * call fails, the in-process log of this limiter answers instead, so limits are per process while
 * degraded, and Redis counts again once it is back. Create one limiter per policy and keep it:
 * the in-process log lives in the limiter.
 */
export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const { redis, keyPrefix, points: limit } = options;
  const windowMs = Math.round(options.durationSeconds * 1000);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`points must be a positive integer, got ${limit}`);
  }
  if (!Number.isFinite(windowMs) || windowMs < 1) {
    throw new RangeError(`durationSeconds must be positive, got ${options.durationSeconds}`);
  }
  const memory = createMemorySlidingWindow({ limit, windowMs });
  const shared = redis && createRedisSlidingWindow({ redis, limit, windowMs });

  return {
    async consume(key, cost = 1) {
      if (!Number.isSafeInteger(cost) || cost < 1) {
        throw new RangeError(`points must be a positive integer, got ${cost}`);
      }
      if (shared && redis && isRedisReady(redis)) {
        try {
          return await shared.consume(`${keyPrefix}:${key}`, cost);
        } catch {
          // Down or timed out: degraded to per-process limits for this call.
        }
      }
      return memory.consume(key, cost);
    },
  };
}
