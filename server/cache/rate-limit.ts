import type { Redis } from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";

export type RateLimitResult = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window frees (the Retry-After of a rejected request). */
  resetMs: number;
};

export interface RateLimiter {
  /** Never throws for an exhausted limit: that is `allowed: false`. */
  consume(key: string, points?: number): Promise<RateLimitResult>;
}

export type CreateRateLimiterOptions = {
  /** Counters shared by every instance; without it, limits are per process. */
  redis?: Redis;
  /** Namespaces the counters: two limiters with one prefix share their budgets. */
  keyPrefix: string;
  /** Points allowed per window. */
  points: number;
  durationSeconds: number;
};

/**
 * Fixed-window limiter. With Redis, the insurance limiter takes over (per process) whenever Redis
 * is not ready or a command fails, and Redis counts again once it is back.
 */
export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const { keyPrefix, points, durationSeconds: duration } = options;
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix,
        points,
        duration,
        // Go straight to the insurance limiter instead of trying a client known to be down.
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;

  const result = (res: RateLimiterRes, allowed: boolean): RateLimitResult => ({
    allowed,
    limit: points,
    remaining: res.remainingPoints,
    resetMs: Math.max(0, res.msBeforeNext),
  });

  return {
    async consume(key, cost = 1) {
      try {
        return result(await limiter.consume(key, cost), true);
      } catch (rejection) {
        // rate-limiter-flexible rejects with a RateLimiterRes when the budget is spent; anything
        // else (a non-integer cost, say) is a caller bug and should surface.
        if (rejection instanceof RateLimiterRes) return result(rejection, false);
        throw rejection;
      }
    },
  };
}
