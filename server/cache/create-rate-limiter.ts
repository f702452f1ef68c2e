import { type CreateRateLimiterOptions, type RateLimiter } from "./rate-limit";
import { isRedisReady } from "./redis";
import { createMemorySlidingWindow } from "./sliding-window-memory";
import { createRedisSlidingWindow } from "./sliding-window-redis";

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
