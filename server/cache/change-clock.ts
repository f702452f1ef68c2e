import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";

import { isRedisReady } from "./redis";

/**
 * When things last changed, on one counter every instance shares: a write marks what it changed
 * ("dataset:<id>", "datasets", …) with the next tick, before it answers. A cache that reads the
 * clock before it reads the data, and keeps that tick with what it stored, knows an entry is stale
 * when any of its marks is newer — including a change that committed while the read was running,
 * which a version read afterwards would miss.
 */
export interface ChangeClock {
  /** The current tick; undefined when the shared clock cannot be read (cache nothing then). */
  now(): Promise<number | undefined>;
  /** Moves the clock and marks each name with the new tick. */
  mark(names: string[]): Promise<void>;
  /** The newest mark among the names (0 when none was marked), or undefined when unreadable. */
  latest(names: string[]): Promise<number | undefined>;
}

/** Marked when the marks themselves may be incomplete: every entry read before it is stale. */
const EVERYTHING = "*";

/**
 * In one process. Marks beyond `maxMarks` are forgotten oldest first; a forgotten one reads as the
 * newest tick ever forgotten, which can only make an entry look older than it is.
 */
export function createMemoryChangeClock(options: { maxMarks?: number } = {}): ChangeClock {
  let tick = 0;
  let forgotten = 0;
  const marks = new LRUCache<string, number>({
    max: options.maxMarks ?? 100_000,
    dispose: (value) => (forgotten = Math.max(forgotten, value)),
  });
  return {
    now: async () => tick,
    async mark(names) {
      tick += 1;
      for (const name of names) marks.set(name, tick);
    },
    async latest(names) {
      return Math.max(0, ...[...names, EVERYTHING].map((name) => marks.get(name) ?? forgotten));
    },
  };
}

export type CreateRedisChangeClockOptions = {
  redis: Redis;
  /** Prefix of the clock's keys. Default "lake:changes:". */
  namespace?: string;
  /** How long a mark is kept: longer than anything cached against it lives. Default 1 day. */
  markTtlSeconds?: number;
};

/**
 * In Redis, for every instance. While Redis is away nothing can be marked, so nothing may be read
 * from a cache either (`now` and `latest` answer undefined); a mark that failed is made up for on
 * reconnect by marking everything, since what it named is unknown to the other instances.
 */
export function createRedisChangeClock(options: CreateRedisChangeClockOptions): ChangeClock {
  const { redis } = options;
  const namespace = options.namespace ?? "lake:changes:";
  const ttl = options.markTtlSeconds ?? 24 * 3600;
  const tickKey = `${namespace}tick`;
  const markKey = (name: string) => `${namespace}mark:${name}`;
  let missedMarks = false;

  const markInRedis = async (names: string[]) => {
    const tick = await redis.incr(tickKey);
    const pipeline = redis.pipeline();
    for (const name of names) pipeline.set(markKey(name), tick, "EX", ttl);
    const results = await pipeline.exec();
    if (!results || results.some(([error]) => error)) throw new Error("a mark was not stored");
  };
  redis.on("ready", () => {
    // Until everything is marked this instance trusts nothing either (`latest` stays undefined).
    if (missedMarks)
      markInRedis([EVERYTHING]).then(
        () => (missedMarks = false),
        () => {},
      );
  });

  return {
    async now() {
      if (!isRedisReady(redis)) return undefined;
      try {
        return Number((await redis.get(tickKey)) ?? 0);
      } catch {
        return undefined;
      }
    },
    async mark(names) {
      if (names.length === 0) return;
      try {
        if (!isRedisReady(redis)) throw new Error("Redis is not ready");
        await markInRedis(names);
      } catch {
        missedMarks = true;
      }
    },
    async latest(names) {
      if (missedMarks || !isRedisReady(redis)) return undefined;
      try {
        const ticks = await redis.mget([...names, EVERYTHING].map(markKey));
        return Math.max(0, ...ticks.map((tick) => Number(tick ?? 0)));
      } catch {
        return undefined;
      }
    },
  };
}
