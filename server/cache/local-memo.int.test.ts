import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { redisBackends } from "../testing/backends";

import { type CacheServices, createCacheServices } from "./cache-services";
import { setCacheServices } from "./client";
import { localMemo } from "./local-memo";
import { testNamespace } from "./testing/redis-namespace";

describe.each(redisBackends)("local memo ($name)", (backend) => {
  const namespace = testNamespace();
  let services: CacheServices;

  beforeAll(async () => {
    services = await createCacheServices({ redisUrl: backend.url, namespace });
    setCacheServices(services);
  });
  afterAll(async () => {
    setCacheServices(undefined);
    await services.close();
  });

  const counting = () => {
    let loads = 0;
    return {
      load: async () => ({ n: ++loads }),
      loads: () => loads,
    };
  };

  it("loads once per key and store, and never keeps a miss", async () => {
    const memo = localMemo<{ n: number }>({ name: randomUUID(), ttlMs: 60_000 });
    const source = counting();
    const [storeA, storeB] = [{}, {}];
    expect(await memo.get(storeA, "k", source.load)).toEqual({ n: 1 });
    expect(await memo.get(storeA, "k", source.load)).toEqual({ n: 1 });
    // Another database in the same process has entries of its own.
    expect(await memo.get(storeB, "k", source.load)).toEqual({ n: 2 });

    let misses = 0;
    const nothing = async () => (misses++, null);
    expect(await memo.get(storeA, "gone", nothing)).toBeNull();
    expect(await memo.get(storeA, "gone", nothing)).toBeNull();
    expect(misses).toBe(2);
  });

  it("reloads after invalidate(), and a load that straddles it is not kept", async () => {
    const memo = localMemo<{ n: number }>({ name: randomUUID(), ttlMs: 60_000 });
    const store = {};
    let release!: () => void;
    const slow = memo.get(store, "k", async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { n: 1 };
    });
    await vi.waitFor(() => expect(release).toBeDefined());
    await memo.invalidate();
    release();
    expect(await slow).toEqual({ n: 1 });
    // The value read before the change must not be served after it.
    expect(await memo.get(store, "k", async () => ({ n: 2 }))).toEqual({ n: 2 });
  });

  it.runIf(backend.name === "redis")(
    "drops its entries when another process invalidates",
    async () => {
      const name = randomUUID();
      const memo = localMemo<{ n: number }>({ name, ttlMs: 60_000 });
      const store = {};
      const source = counting();
      await memo.get(store, "k", source.load);

      const otherProcess = await createCacheServices({ redisUrl: backend.url, namespace });
      try {
        // Published until heard: the memo subscribes in the background on its first use.
        await vi.waitFor(async () => {
          await otherProcess.pubsub.publish(`memo:${name}:invalidate`, {});
          expect((await memo.get(store, "k", source.load))?.n).toBeGreaterThan(1);
        });
      } finally {
        await otherProcess.close();
      }
    },
  );
});
