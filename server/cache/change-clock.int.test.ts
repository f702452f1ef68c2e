import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { redisBackends } from "../testing/backends";
import { type CacheServices, createCacheServices } from "./cache-services";
import { createMemoryChangeClock } from "./change-clock";
import { useFlakyRedisPair } from "./testing/flaky-redis";
import { deleteNamespace, redisUrl, testNamespace } from "./testing/redis-namespace";

describe.each(redisBackends)("the change clock ($name)", (backend) => {
  const namespace = testNamespace();
  let services: CacheServices;
  beforeAll(async () => {
    services = await createCacheServices({ redisUrl: backend.url, namespace });
  });
  afterAll(async () => {
    await services.close();
    if (backend.url) await deleteNamespace(backend.url, namespace);
  });

  it("marks what changed with a tick newer than any read before the change", async () => {
    const { changes } = services;
    const before = (await changes.now())!;
    expect(await changes.latest(["dataset:a"])).toBeLessThanOrEqual(before);

    await changes.mark(["dataset:a", "records"]);
    const after = (await changes.now())!;
    expect(after).toBeGreaterThan(before);
    expect(await changes.latest(["dataset:a"])).toBe(after);
    expect(await changes.latest(["dataset:b", "records"])).toBe(after);
    // A name never marked since the read stays at or below it.
    expect(await changes.latest(["dataset:b"])).toBeLessThanOrEqual(before);
  });

  it.runIf(backend.url)("shares the clock between instances on one Redis", async () => {
    const other = await createCacheServices({ redisUrl: backend.url, namespace });
    try {
      const before = (await services.changes.now())!;
      await other.changes.mark(["dataset:shared"]);
      expect(await services.changes.latest(["dataset:shared"])).toBeGreaterThan(before);
      expect(await services.changes.now()).toBe(await other.changes.now());
    } finally {
      await other.close();
    }
  });
});

describe("the in-process change clock", () => {
  it("reads a mark it no longer keeps as the newest it forgot, never as older", async () => {
    const clock = createMemoryChangeClock({ maxMarks: 2 });
    await clock.mark(["a"]);
    const aMarked = (await clock.now())!;
    await clock.mark(["b"]);
    await clock.mark(["c"]); // "a" is forgotten
    expect(await clock.latest(["a"])).toBeGreaterThanOrEqual(aMarked);
  });
});

describe.runIf(Boolean(redisUrl))("the change clock when Redis goes away and comes back", () => {
  const pair = useFlakyRedisPair(redisUrl!);

  it("answers nothing while away, and on return makes everything read before stale", async () => {
    const [proxy, flaky, steady] = [pair.proxy(), pair.flaky(), pair.steady()];
    const readBefore = (await steady.changes.now())!;
    proxy.cut();
    await vi.waitFor(async () => expect((await flaky.ping()).status).toBe("down"));

    // Nothing can be marked, so nothing may be trusted: a cache reading this serves nothing.
    expect(await flaky.changes.now()).toBeUndefined();
    await flaky.changes.mark(["dataset:lost"]);
    expect(await flaky.changes.latest(["dataset:lost"])).toBeUndefined();
    // The other instance never heard of the change...
    expect(await steady.changes.latest(["dataset:lost"])).toBeLessThanOrEqual(readBefore);

    proxy.restore();
    // ...until the instance that missed it marks everything, as soon as it is back.
    await vi.waitFor(
      async () =>
        expect(await steady.changes.latest(["dataset:unrelated"])).toBeGreaterThan(readBefore),
      { timeout: 10_000 },
    );
    expect(await flaky.changes.latest(["dataset:lost"])).toBeGreaterThan(readBefore);
  });
});
