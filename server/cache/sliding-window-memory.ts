import { LRUCache } from "lru-cache";

import type { RateLimitResult } from "./rate-limit";

/**
 * The in-process sliding-window log: the same algorithm as the Lua script in
 * `sliding-window-redis.ts`, on an array of timestamps (oldest first) per key. Used when there is
 * no Redis and while Redis is down.
 */

export type SlidingWindow = {
  /** `cost` is a positive integer; the caller checks it. */
  consume(key: string, cost: number): RateLimitResult;
};

export type CreateMemorySlidingWindowOptions = {
  limit: number;
  windowMs: number;
  /**
   * Keys tracked at most. Past it the least recently used key is forgotten, and that client
   * starts afresh — the price of bounded memory (an active client is never the least recent).
   * Default 10 000.
   */
  maxKeys?: number;
  /** Timestamps held across all keys (8 bytes each). Default 1 M. */
  maxEntries?: number;
  /** Monotonic milliseconds; tests pass a fake clock (which must not start at 0). */
  now?: () => number;
};

export function createMemorySlidingWindow(
  options: CreateMemorySlidingWindowOptions,
): SlidingWindow {
  const { limit, windowMs } = options;
  const now = options.now ?? (() => performance.now());
  // A log's TTL is refreshed only when an entry is added, so a key goes stale exactly when its
  // newest entry leaves the window: lru-cache then drops it on access or in the sweep below.
  const logs = new LRUCache<string, number[]>({
    max: options.maxKeys ?? 10_000,
    // lru-cache refuses an entry larger than maxSize, which would leave that key unlimited.
    maxSize: Math.max(options.maxEntries ?? 1_000_000, limit),
    sizeCalculation: (log) => Math.max(1, log.length),
    ttl: windowMs,
    ttlResolution: 0,
    perf: { now },
  });
  let lastSweep = now();

  return {
    consume(key, cost) {
      const at = now();
      if (at - lastSweep >= windowMs) {
        logs.purgeStale();
        lastSweep = at;
      }
      const log = logs.get(key) ?? [];
      let expired = 0;
      while (expired < log.length && log[expired]! <= at - windowMs) expired++;
      if (expired > 0) log.splice(0, expired);

      const count = log.length;
      if (count + cost <= limit) {
        for (let i = 0; i < cost; i++) log.push(at);
        logs.set(key, log);
        return { allowed: true, limit, remaining: limit - count - cost, resetMs: windowMs };
      }
      // Not logged: a rejected request must not push back the moment its client may retry. It
      // may retry once enough entries have left for its cost to fit; a cost above the limit never
      // fits, so it gets the time until the log is empty (see `RateLimitResult.resetMs`).
      const freesAt =
        cost <= limit
          ? log[count + cost - limit - 1]! + windowMs
          : count > 0
            ? log[count - 1]! + windowMs
            : at;
      return { allowed: false, limit, remaining: limit - count, resetMs: Math.ceil(freesAt - at) };
    },
  };
}
