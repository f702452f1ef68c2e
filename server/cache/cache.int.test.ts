import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createMemoryCache } from "./cache";
import { redisBackends } from "../testing/backends";

import { type CacheServices, createCacheServices } from "./cache-services";
import { deleteNamespace, sleep, testNamespace } from "./testing/redis-namespace";

describe.concurrent.each(redisBackends)("cache ($name)", (backend) => {
  const namespace = testNamespace();
  let services: CacheServices;

  beforeAll(async () => {
    services = await createCacheServices({ redisUrl: backend.url, namespace });
  });
  afterAll(async () => {
    await services.close();
    if (backend.url) await deleteNamespace(backend.url, namespace);
  });
  /** A key prefix of the test's own: the tests run concurrently on one cache. */
  const fresh = () => `${randomUUID()}:`;

  it("round-trips values as JSON and misses unknown keys", async () => {
    const p = fresh();
    const at = new Date("2026-01-02T03:04:05.000Z");
    await services.cache.set(
      `${p}record`,
      { id: 7, tags: ["a", "b"], nested: { ok: true }, at },
      60,
    );
    expect(await services.cache.get(`${p}record`)).toEqual({
      id: 7,
      tags: ["a", "b"],
      nested: { ok: true },
      at: "2026-01-02T03:04:05.000Z",
    });
    await services.cache.set(`${p}zero`, 0, 60);
    expect(await services.cache.get(`${p}zero`)).toBe(0);
    await services.cache.set(`${p}null`, null, 60);
    expect(await services.cache.get(`${p}null`)).toBeNull();
    expect(await services.cache.get(`${p}missing`)).toBeUndefined();
  });

  it("reads several keys in one call, in order, with misses as undefined", async () => {
    const p = fresh();
    await services.cache.set(`${p}a`, { n: 1 }, 60);
    await services.cache.set(`${p}c`, "three", 60);
    expect(await services.cache.getMany(`${p}a`, `${p}b`, `${p}c`)).toEqual([
      { n: 1 },
      undefined,
      "three",
    ]);
  });

  it("hands out copies: mutating a value does not change the cache", async () => {
    const p = fresh();
    const value = { n: 1 };
    await services.cache.set(`${p}v`, value, 60);
    value.n = 2;
    const got = await services.cache.get<{ n: number }>(`${p}v`);
    expect(got).toEqual({ n: 1 });
    got!.n = 3;
    expect(await services.cache.get(`${p}v`)).toEqual({ n: 1 });
  });

  it("expires entries after their TTL", async () => {
    const p = fresh();
    await services.cache.set(`${p}short`, "soon gone", 0.2);
    await services.cache.set(`${p}long`, "stays", 60);
    expect(await services.cache.get(`${p}short`)).toBe("soon gone");
    await sleep(350);
    expect(await services.cache.get(`${p}short`)).toBeUndefined();
    expect(await services.cache.get(`${p}long`)).toBe("stays");
  });

  it("deletes several keys at once", async () => {
    const p = fresh();
    for (const key of ["a", "b", "c"]) await services.cache.set(`${p}${key}`, key, 60);
    await services.cache.delete(`${p}a`, `${p}b`, `${p}never-set`);
    expect(await services.cache.get(`${p}a`)).toBeUndefined();
    expect(await services.cache.get(`${p}b`)).toBeUndefined();
    expect(await services.cache.get(`${p}c`)).toBe("c");
    await services.cache.delete();
  });

  it("deletes by prefix, taking glob characters in the prefix literally", async () => {
    const p = fresh();
    const keys = [`${p}ds:1:a`, `${p}ds:1:b`, `${p}ds:10:a`, `${p}ds:2:a`, `${p}[x]*:1`, `${p}x:1`];
    for (const key of keys) await services.cache.set(key, key, 60);
    // More than one SCAN page in Redis.
    for (let i = 0; i < 600; i++) await services.cache.set(`${p}bulk:${i}`, i, 60);

    await services.cache.deleteByPrefix(`${p}ds:1:`);
    await services.cache.deleteByPrefix(`${p}[x]*`);
    await services.cache.deleteByPrefix(`${p}bulk:`);

    expect(await services.cache.get(`${p}ds:1:a`)).toBeUndefined();
    expect(await services.cache.get(`${p}ds:1:b`)).toBeUndefined();
    expect(await services.cache.get(`${p}ds:10:a`)).toBe(`${p}ds:10:a`);
    expect(await services.cache.get(`${p}ds:2:a`)).toBe(`${p}ds:2:a`);
    expect(await services.cache.get(`${p}[x]*:1`)).toBeUndefined();
    expect(await services.cache.get(`${p}x:1`)).toBe(`${p}x:1`);
    expect(await services.cache.get(`${p}bulk:0`)).toBeUndefined();
    expect(await services.cache.get(`${p}bulk:599`)).toBeUndefined();
  });

  it("refuses values JSON cannot carry and non-positive TTLs", async () => {
    const p = fresh();
    await expect(services.cache.set(`${p}u`, undefined, 60)).rejects.toThrow(TypeError);
    await expect(services.cache.set(`${p}t`, "x", 0)).rejects.toThrow(RangeError);
  });
});

describe("memory cache", () => {
  it("stays within its entry bound, evicting the least recently used", async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set("a", 1, 60);
    await cache.set("b", 2, 60);
    await cache.get("a");
    await cache.set("c", 3, 60);
    expect(await cache.get("a")).toBe(1);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("c")).toBe(3);
  });
});
