import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { redisBackends } from "../testing/backends";

import { type CacheServices, createCacheServices } from "./cache-services";
import type { RateLimiter, RateLimitResult } from "./rate-limit";
import { deleteNamespace, redisUrl, sleep, testNamespace } from "./testing/redis-namespace";

/** Nothing listens on port 1: every connection attempt is refused at once. */
const UNREACHABLE_REDIS = "redis://127.0.0.1:1";

async function consumeInTurn(limiter: RateLimiter, key: string, times: number) {
  const results: RateLimitResult[] = [];
  for (let i = 0; i < times; i++) results.push(await limiter.consume(key));
  return results;
}

const allowed = (results: RateLimitResult[]) => results.map((r) => r.allowed);

describe.concurrent.each(redisBackends)("rate limiter ($name)", (backend) => {
  const namespace = testNamespace();
  let services: CacheServices;
  const limiterFor = (points: number, durationSeconds: number) =>
    services.createRateLimiter({ keyPrefix: randomUUID(), points, durationSeconds });

  beforeAll(async () => {
    services = await createCacheServices({ redisUrl: backend.url, namespace });
  });
  afterAll(async () => {
    await services.close();
    if (backend.url) await deleteNamespace(backend.url, namespace);
  });

  it("allows up to the limit, then rejects until the oldest request leaves the window", async () => {
    const limiter = limiterFor(3, 10);
    const results = await consumeInTurn(limiter, "client-1", 4);

    expect(results.map((r) => [r.allowed, r.remaining, r.limit])).toEqual([
      [true, 2, 3],
      [true, 1, 3],
      [true, 0, 3],
      [false, 0, 3],
    ]);
    // Allowed: the full limit is back one window after the newest request, i.e. this one.
    for (const result of results.slice(0, 3)) expect(result.resetMs).toBe(10_000);
    const rejected = results[3]!;
    expect(rejected.resetMs).toBeGreaterThan(9_000);
    expect(rejected.resetMs).toBeLessThanOrEqual(10_000);
    // Another key has its own budget.
    expect(await limiter.consume("client-2")).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("charges several points at once and never throws for a spent budget", async () => {
    const limiter = limiterFor(5, 10);
    expect(await limiter.consume("k", 4)).toMatchObject({ allowed: true, remaining: 1 });
    // Rejected requests take nothing: one point is still there for a cheaper request.
    expect(await limiter.consume("k", 2)).toMatchObject({ allowed: false, remaining: 1 });
    const tooBig = await limiter.consume("k", 50);
    expect(tooBig).toMatchObject({ allowed: false, remaining: 1 });
    expect(tooBig.resetMs).toBeGreaterThan(9_000);
    expect(await limiter.consume("k", 1)).toMatchObject({ allowed: true, remaining: 0 });
    await expect(limiter.consume("k", 0)).rejects.toThrow(RangeError);
    await expect(limiter.consume("k", 1.5)).rejects.toThrow(RangeError);
  });

  it("slides: no window of that length ever holds more than the limit", async () => {
    const limiter = limiterFor(4, 2);
    expect(allowed(await consumeInTurn(limiter, "k", 2))).toEqual([true, true]);
    await sleep(1_000);
    const half = await consumeInTurn(limiter, "k", 3);
    expect(allowed(half)).toEqual([true, true, false]);
    // Free again when the first two leave, a window after they came.
    const firstLeave = half[2]!.resetMs;
    expect(firstLeave).toBeGreaterThan(500);
    expect(firstLeave).toBeLessThanOrEqual(1_000);

    await sleep(firstLeave / 2);
    expect((await limiter.consume("k")).allowed).toBe(false);

    await sleep(firstLeave / 2 + 50);
    // A fixed window starting with the first request would grant 4 here (6 within 1 s): the two
    // made half a window ago still count.
    const after = await consumeInTurn(limiter, "k", 3);
    expect(allowed(after)).toEqual([true, true, false]);
    expect(after[2]!.resetMs).toBeGreaterThan(0);
    expect(after[2]!.resetMs).toBeLessThanOrEqual(1_000);
  });

  it("does not count rejected requests, so hammering does not extend the wait", async () => {
    const limiter = limiterFor(2, 1);
    await consumeInTurn(limiter, "k", 2);
    const first = await limiter.consume("k");
    expect(first.allowed).toBe(false);
    const freeAt = performance.now() + first.resetMs;
    while (performance.now() < freeAt - 150) {
      const again = await limiter.consume("k");
      expect(again.allowed).toBe(false);
      expect(performance.now() + again.resetMs).toBeLessThanOrEqual(freeAt + 30);
      await sleep(50);
    }
    await sleep(freeAt - performance.now() + 50);
    expect(await limiter.consume("k")).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("never lets concurrent requests past the limit", async () => {
    const limiter = limiterFor(10, 10);
    const results = await Promise.all(Array.from({ length: 50 }, () => limiter.consume("k")));
    const passed = results.filter((r) => r.allowed);
    expect(passed.map((r) => r.remaining).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(results.filter((r) => !r.allowed)).toHaveLength(40);
  });
});

describe.runIf(Boolean(redisUrl))("rate limiter across instances (redis)", () => {
  const namespace = testNamespace();
  let a: CacheServices;
  let b: CacheServices;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      createCacheServices({ redisUrl, namespace }),
      createCacheServices({ redisUrl, namespace }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await deleteNamespace(redisUrl!, namespace);
  });

  const pair = (points: number) => {
    const options = { keyPrefix: randomUUID(), points, durationSeconds: 10 };
    return [a.createRateLimiter(options), b.createRateLimiter(options)] as const;
  };

  it("shares one budget between two instances", async () => {
    const [onA, onB] = pair(2);
    expect((await onA.consume("user")).allowed).toBe(true);
    expect((await onB.consume("user")).allowed).toBe(true);
    expect((await onA.consume("user")).allowed).toBe(false);
    expect((await onB.consume("user")).allowed).toBe(false);
  });

  it("never lets concurrent requests on two instances past the limit", async () => {
    const [onA, onB] = pair(10);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? onA : onB).consume("user")),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it("makes its first check in the same tick as other commands on a fresh connection", async () => {
    // A limiter defines its script on the shared client when first made, often while that tick's
    // automatic pipeline already exists; ioredis before 6.1 then threw "results[i] is not
    // iterable" from a timer and took the process down (redis/ioredis#1931).
    const fresh = await createCacheServices({ redisUrl, namespace });
    try {
      const cached = fresh.cache.get(randomUUID()); // opens this tick's pipeline
      const limiter = fresh.createRateLimiter({
        keyPrefix: randomUUID(),
        points: 1,
        durationSeconds: 10,
      });
      const [miss, first] = await Promise.all([cached, limiter.consume("user")]);
      expect(miss).toBeUndefined();
      expect(first).toMatchObject({ allowed: true, remaining: 0 });
      expect(await limiter.consume("user")).toMatchObject({ allowed: false });
    } finally {
      await fresh.close();
    }
  });

  it("falls back to the in-process log when a Redis call fails", async () => {
    const keyPrefix = randomUUID();
    const limiter = a.createRateLimiter({ keyPrefix, points: 1, durationSeconds: 10 });
    // The log's key (as cache-services names it) holding a string makes the script fail.
    const logKey = `${namespace}rl:${keyPrefix}:user`;
    await a.redis!.set(logKey, "not a sorted set");
    expect(await limiter.consume("user")).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.consume("user")).toMatchObject({ allowed: false, remaining: 0 });
    expect(await a.redis!.get(logKey)).toBe("not a sorted set");
  });
});

describe("rate limiter while Redis is unreachable", () => {
  it("limits in-process without waiting for Redis", async () => {
    const services = await createCacheServices({ redisUrl: UNREACHABLE_REDIS });
    try {
      const limiter = services.createRateLimiter({
        keyPrefix: randomUUID(),
        points: 2,
        durationSeconds: 10,
      });
      const started = performance.now();
      const results = await consumeInTurn(limiter, "k", 3);
      expect(performance.now() - started).toBeLessThan(200);
      expect(results.map((r) => [r.allowed, r.remaining])).toEqual([
        [true, 1],
        [true, 0],
        [false, 0],
      ]);
      expect(results[2]!.resetMs).toBeGreaterThan(9_000);
    } finally {
      await services.close();
    }
  });
});
