import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { describe, expect, it } from "vitest";

import { reportRecovery, timeToRecovery } from "../testing/recovery";
import { useFlakyRedisPair } from "./testing/flaky-redis";
import { redisUrl } from "./testing/redis-namespace";

// cache-services.int.test.ts proves what each concern does *during* an outage (fallbacks, the
// invalidations replayed, queued jobs handed back, pub/sub resubscribed). This one measures the
// way back and checks that the two instances agree again afterwards.
describe.runIf(Boolean(redisUrl))("Redis going away mid-traffic and coming back", () => {
  const pair = useFlakyRedisPair(redisUrl!);

  it("degrades, then shares one rate-limit budget and one cache again, with nothing of the outage left behind", async () => {
    const [proxy, flaky, steady] = [pair.proxy(), pair.flaky(), pair.steady()];
    const spec = { keyPrefix: randomUUID(), points: 100, durationSeconds: 60 };
    const onFlaky = flaky.createRateLimiter(spec);
    const onSteady = steady.createRateLimiter(spec);
    const p = `${randomUUID()}:`;

    // Before: one budget for both instances.
    for (let i = 0; i < 5; i++) await onFlaky.consume("client");
    expect(await onSteady.consume("client")).toMatchObject({ allowed: true, remaining: 94 });
    await flaky.cache.set(`${p}dataset`, "v1", 60);

    // Traffic on the flaky instance throughout: every call answers, none waits for Redis.
    let running = true;
    let slowest = 0;
    let calls = 0;
    let slowCalls = 0;
    const traffic = (async () => {
      while (running) {
        const started = performance.now();
        await flaky.cache.get(`${p}traffic`);
        const took = performance.now() - started;
        slowest = Math.max(slowest, took);
        if (took > 1_000) slowCalls++;
        calls++;
        await sleep(10);
      }
    })();
    proxy.cut();
    await expect.poll(async () => (await flaky.ping()).status).toBe("down");
    // Degraded: limits are per process meanwhile (the documented trade), the cache is local.
    const during = await onFlaky.consume("client");
    expect(during).toMatchObject({ allowed: true, remaining: 99 });
    await flaky.cache.set(`${p}dataset`, "written during the outage", 60);
    // The other instance changes the shared value meanwhile; the flaky one cannot know.
    await steady.cache.set(`${p}dataset`, "v2", 60);
    await sleep(1_000);
    proxy.restore();
    const restored = performance.now();
    // Back when the flaky instance reads what the steady one writes now, and its limiter counts
    // in the shared log again (steady sees the point it takes).
    await timeToRecovery(
      "redis-cache",
      async () => {
        await steady.cache.set(`${p}probe`, "after", 60);
        return (await flaky.cache.get(`${p}probe`)) === "after";
      },
      { timeoutMs: 10_000 },
    );
    await timeToRecovery(
      "redis-rate-limit",
      async () => {
        const before = (await onSteady.consume("probe")).remaining;
        await onFlaky.consume("probe");
        return (await onSteady.consume("probe")).remaining === before - 2;
      },
      { timeoutMs: 10_000 },
    );
    const recoveryMs = performance.now() - restored;
    running = false;
    await traffic;

    // One budget again, continuing from what Redis counted before the outage (6 of 100): the
    // outage's local point does not linger in either instance's answers.
    expect(await onFlaky.consume("client")).toMatchObject({ allowed: true, remaining: 93 });
    expect(await onSteady.consume("client")).toMatchObject({ allowed: true, remaining: 92 });
    // The key written during the outage was invalidated in Redis on the way back (a miss is
    // always safe; the flaky instance's local value, or v2 it never saw, could be stale): both
    // instances read the same, and the outage's local value never surfaces.
    expect(await flaky.cache.get(`${p}dataset`)).toBeUndefined();
    expect(await steady.cache.get(`${p}dataset`)).toBeUndefined();
    // Nothing hung on Redis: a command caught in flight by the cut waits out the command
    // timeout (2 s), every other call is answered by the fallback at once. (Counted as slow
    // calls, not as calls made: a call caught by the cut can span a short outage whole.)
    expect(calls).toBeGreaterThan(1);
    expect(slowCalls).toBeLessThanOrEqual(1);
    expect(slowest).toBeLessThan(2_500);
    reportRecovery("redis", recoveryMs, { lost: 0 });
  });
});
