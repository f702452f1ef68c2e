import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { redisBackends } from "../testing/backends";

import { type CacheServices, createCacheServices } from "./cache-services";
import { deleteNamespace, redisUrl, sleep, testNamespace } from "./test-support";

describe.concurrent.each(redisBackends)("rate limiter ($name)", (backend) => {
  const namespace = testNamespace();
  let services: CacheServices;

  beforeAll(async () => {
    services = await createCacheServices({ redisUrl: backend.url, namespace });
  });
  afterAll(async () => {
    await services.close();
    if (backend.url) await deleteNamespace(backend.url, namespace);
  });

  it("allows up to the limit, then rejects with the time until the window frees", async () => {
    const limiter = services.createRateLimiter({
      keyPrefix: randomUUID(),
      points: 3,
      durationSeconds: 10,
    });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await limiter.consume("client-1"));

    expect(results.map((r) => [r.allowed, r.remaining, r.limit])).toEqual([
      [true, 2, 3],
      [true, 1, 3],
      [true, 0, 3],
      [false, 0, 3],
    ]);
    const rejected = results[3]!;
    expect(rejected.resetMs).toBeGreaterThan(9_000);
    expect(rejected.resetMs).toBeLessThanOrEqual(10_000);
    // Another key has its own budget.
    expect(await limiter.consume("client-2")).toMatchObject({ allowed: true, remaining: 2 });
  });

  it("charges several points at once and never throws for a spent budget", async () => {
    const limiter = services.createRateLimiter({
      keyPrefix: randomUUID(),
      points: 5,
      durationSeconds: 10,
    });
    expect(await limiter.consume("k", 4)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.consume("k", 2)).toMatchObject({ allowed: false, remaining: 0 });
    expect(await limiter.consume("k", 50)).toMatchObject({ allowed: false });
  });

  it("allows again once the window has passed", async () => {
    const limiter = services.createRateLimiter({
      keyPrefix: randomUUID(),
      points: 1,
      durationSeconds: 1,
    });
    expect((await limiter.consume("k")).allowed).toBe(true);
    const rejected = await limiter.consume("k");
    expect(rejected.allowed).toBe(false);
    await sleep(rejected.resetMs + 50);
    expect(await limiter.consume("k")).toMatchObject({ allowed: true, remaining: 0 });
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

  it("shares one budget between two instances", async () => {
    const keyPrefix = randomUUID();
    const options = { keyPrefix, points: 2, durationSeconds: 10 };
    const onA = a.createRateLimiter(options);
    const onB = b.createRateLimiter(options);
    expect((await onA.consume("user")).allowed).toBe(true);
    expect((await onB.consume("user")).allowed).toBe(true);
    expect((await onA.consume("user")).allowed).toBe(false);
    expect((await onB.consume("user")).allowed).toBe(false);
  });
});
