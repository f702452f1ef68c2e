import { randomUUID } from "node:crypto";

import { describe, expect, it, vi } from "vitest";

import { createCacheServices } from "./cache-services";
import { useFlakyRedisPair } from "./testing/flaky-redis";
import { redisUrl, sleep, testNamespace } from "./testing/redis-namespace";

/** Nothing listens on port 1: every connection attempt is refused at once. */
const UNREACHABLE_REDIS = "redis://127.0.0.1:1";

describe("cache services without REDIS_URL", () => {
  it("runs in memory and reports Redis as not configured", async () => {
    const services = await createCacheServices({});
    expect(services.mode).toBe("memory");
    expect(services.redis).toBeUndefined();
    expect(await services.ping()).toEqual({ status: "not_configured" });
    await services.close();
  });
});

describe.runIf(Boolean(redisUrl))("cache services with Redis", () => {
  it("uses Redis and reports it up with a latency", async () => {
    const services = await createCacheServices({ redisUrl, namespace: testNamespace() });
    expect(services.mode).toBe("redis");
    expect(services.redis?.status).toBe("ready");
    const ping = await services.ping();
    expect(ping.status).toBe("up");
    expect(ping.latencyMs).toBeGreaterThanOrEqual(0);
    expect(ping.error).toBeUndefined();
    await services.close();
    expect(services.redis?.status).toBe("end");
  });
});

describe("cache services when Redis is unreachable", () => {
  it("starts degraded without hanging and serves every concern from the fallbacks", async () => {
    const started = performance.now();
    const services = await createCacheServices({ redisUrl: UNREACHABLE_REDIS });
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(services.mode).toBe("redis");

    const ping = await services.ping();
    expect(ping.status).toBe("down");
    expect(ping.error).toMatch(/ECONNREFUSED/);

    const p = `${randomUUID()}:`;
    await services.cache.set(`${p}a:1`, { v: 1 }, 60);
    await services.cache.set(`${p}a:2`, { v: 2 }, 60);
    await services.cache.set(`${p}b:1`, { v: 3 }, 60);
    expect(await services.cache.get(`${p}a:1`)).toEqual({ v: 1 });
    await services.cache.delete(`${p}a:1`);
    expect(await services.cache.get(`${p}a:1`)).toBeUndefined();
    await services.cache.deleteByPrefix(`${p}a:`);
    expect(await services.cache.get(`${p}a:2`)).toBeUndefined();
    expect(await services.cache.get(`${p}b:1`)).toEqual({ v: 3 });

    const limiter = services.createRateLimiter({
      keyPrefix: randomUUID(),
      points: 2,
      durationSeconds: 10,
    });
    expect(await limiter.consume("k")).toMatchObject({ allowed: true, remaining: 1 });
    expect(await limiter.consume("k")).toMatchObject({ allowed: true, remaining: 0 });
    const rejected = await limiter.consume("k");
    expect(rejected.allowed).toBe(false);
    expect(rejected.resetMs).toBeGreaterThan(0);

    const received: unknown[] = [];
    await services.pubsub.subscribe("events", (m) => received.push(m));
    await services.pubsub.publish("events", { local: true });
    await vi.waitFor(() => expect(received).toEqual([{ local: true }]));
    await sleep(100);
    expect(received).toHaveLength(1);

    const queue = services.createJobQueue<{ n: number }>({ name: randomUUID() });
    const ran: number[] = [];
    queue.process(async (job) => void ran.push(job.data.n));
    await queue.add({ n: 1 });
    await vi.waitFor(() => expect(ran).toEqual([1]));

    const closing = performance.now();
    await services.close();
    expect(performance.now() - closing).toBeLessThan(2_000);
    expect(performance.now() - started).toBeLessThan(6_000);
  });
});

describe.runIf(Boolean(redisUrl))("cache services when Redis goes away and comes back", () => {
  const pair = useFlakyRedisPair(redisUrl!);

  it("falls back during the outage, then uses Redis again with the outage's invalidations applied", async () => {
    const [proxy, flaky, steady] = [pair.proxy(), pair.flaky(), pair.steady()];
    const p = `${randomUUID()}:`;
    const channel = randomUUID();
    const onFlaky: unknown[] = [];
    const onSteady: unknown[] = [];
    await flaky.pubsub.subscribe(channel, (m) => onFlaky.push(m));
    await steady.pubsub.subscribe(channel, (m) => onSteady.push(m));

    // Jobs: `steady` processes the queue; `flaky` only adds to it.
    const queueName = randomUUID();
    const processed: number[] = [];
    steady
      .createJobQueue<{ n: number }>({ name: queueName })
      .process(async (job) => void processed.push(job.data.n));
    const producer = flaky.createJobQueue<{ n: number }>({ name: queueName });
    await producer.add({ n: 1 });
    await vi.waitFor(() => expect(processed).toEqual([1]));

    await flaky.cache.set(`${p}shared`, "before", 60);
    await flaky.cache.set(`${p}ds:1`, "before", 60);
    expect(await steady.cache.get(`${p}shared`)).toBe("before");

    proxy.cut();
    await vi.waitFor(async () => expect((await flaky.ping()).status).toBe("down"));

    // Cache: writes and deletes land in the fallback; Redis (seen by `steady`) is untouched.
    await flaky.cache.delete(`${p}shared`);
    await flaky.cache.deleteByPrefix(`${p}ds:`);
    await flaky.cache.set(`${p}local`, "during", 60);
    expect(await flaky.cache.get(`${p}shared`)).toBeUndefined();
    expect(await flaky.cache.get(`${p}local`)).toBe("during");
    expect(await steady.cache.get(`${p}shared`)).toBe("before");

    // Rate limits: per process meanwhile.
    const limiter = flaky.createRateLimiter({
      keyPrefix: randomUUID(),
      points: 1,
      durationSeconds: 10,
    });
    expect((await limiter.consume("k")).allowed).toBe(true);
    expect((await limiter.consume("k")).allowed).toBe(false);

    // Pub/sub: local delivery only, once.
    await flaky.pubsub.publish(channel, "during");
    await vi.waitFor(() => expect(onFlaky).toEqual(["during"]));

    // Jobs: held in memory (this process does not handle the queue)…
    await producer.add({ n: 2 });
    await sleep(100);
    expect(processed).toEqual([1]);

    proxy.restore();
    await vi.waitFor(async () => expect((await flaky.ping()).status).toBe("up"), {
      timeout: 5_000,
    });

    // The deletes made during the outage reached Redis; the fallback's values are gone. (The
    // first call waits for that reconciliation, which starts as soon as the client is ready.)
    expect(await flaky.cache.get(`${p}local`)).toBeUndefined();
    expect(await steady.cache.get(`${p}shared`)).toBeUndefined();
    expect(await steady.cache.get(`${p}ds:1`)).toBeUndefined();
    await flaky.cache.set(`${p}after`, "after", 60);
    expect(await steady.cache.get(`${p}after`)).toBe("after");

    // …and handed to Redis when it is back, where `steady` picks them up.
    await vi.waitFor(() => expect(processed).toEqual([1, 2]), { timeout: 5_000 });

    // Cross-instance fan-out resumes once the subscriber connection has resubscribed.
    await vi.waitFor(
      async () => {
        await steady.pubsub.publish(channel, "after");
        expect(onFlaky).toContain("after");
      },
      { timeout: 5_000, interval: 100 },
    );
    await sleep(150); // let the retried publishes drain
    onFlaky.length = 0;
    onSteady.length = 0;
    await flaky.pubsub.publish(channel, "once");
    await vi.waitFor(() => expect(onSteady).toEqual(["once"]));
    await sleep(150);
    expect(onFlaky).toEqual(["once"]);
  });
});
