import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { redisBackends } from "../testing/backends";

import { type CacheServices, createCacheServices } from "./cache-services";
import { redisUrl, sleep, testNamespace } from "./testing/redis-namespace";

/** Long enough for a second (wrong) delivery through Redis to have arrived. */
const SETTLE_MS = 150;

describe.concurrent.each(redisBackends)("pub/sub ($name)", (backend) => {
  const handlerErrors: unknown[] = [];
  let services: CacheServices;

  beforeAll(async () => {
    services = await createCacheServices({
      redisUrl: backend.url,
      namespace: testNamespace(),
      onHandlerError: (error) => handlerErrors.push(error),
    });
  });
  afterAll(() => services.close());

  it("delivers a process's own publish to its subscribers exactly once, as JSON", async () => {
    const channel = randomUUID();
    const received: unknown[] = [];
    await services.pubsub.subscribe(channel, (message) => received.push(message));

    await services.pubsub.publish(channel, { kind: "record.created", id: 1, at: new Date(0) });
    await services.pubsub.publish(channel, "second");

    await vi.waitFor(() => expect(received).toHaveLength(2));
    await sleep(SETTLE_MS);
    expect(received).toEqual([
      { kind: "record.created", id: 1, at: "1970-01-01T00:00:00.000Z" },
      "second",
    ]);
  });

  it("fans out to every handler, and unsubscribe removes only its own", async () => {
    const channel = randomUUID();
    const first: unknown[] = [];
    const second: unknown[] = [];
    const unsubscribeFirst = await services.pubsub.subscribe(channel, (m) => first.push(m));
    const unsubscribeSecond = await services.pubsub.subscribe(channel, (m) => second.push(m));

    await services.pubsub.publish(channel, 1);
    await vi.waitFor(() => expect([first, second]).toEqual([[1], [1]]));

    await unsubscribeFirst();
    await services.pubsub.publish(channel, 2);
    await vi.waitFor(() => expect(second).toEqual([1, 2]));
    await sleep(SETTLE_MS);
    expect(first).toEqual([1]);

    await unsubscribeSecond();
    await services.pubsub.publish(channel, 3);
    await sleep(SETTLE_MS);
    expect(second).toEqual([1, 2]);
  });

  it("keeps delivering to other handlers when one throws", async () => {
    const channel = randomUUID();
    const received: unknown[] = [];
    await services.pubsub.subscribe(channel, () => {
      throw new Error("subscriber bug");
    });
    await services.pubsub.subscribe(channel, (m) => received.push(m));
    await services.pubsub.publish(channel, "still arrives");
    await vi.waitFor(() => expect(received).toEqual(["still arrives"]));
    expect(handlerErrors).toContainEqual(new Error("subscriber bug"));
  });

  it("does not deliver other channels' messages", async () => {
    const channel = randomUUID();
    const received: unknown[] = [];
    await services.pubsub.subscribe(channel, (m) => received.push(m));
    await services.pubsub.publish(`${channel}-other`, "not for us");
    await services.pubsub.publish(channel, "for us");
    await vi.waitFor(() => expect(received).toEqual(["for us"]));
    await sleep(SETTLE_MS);
    expect(received).toEqual(["for us"]);
  });
});

describe.runIf(Boolean(redisUrl))("pub/sub across instances (redis)", () => {
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
  });

  it("fans a publish out to both instances, once each", async () => {
    const channel = randomUUID();
    const onA: unknown[] = [];
    const onB: unknown[] = [];
    await a.pubsub.subscribe(channel, (m) => onA.push(m));
    await b.pubsub.subscribe(channel, (m) => onB.push(m));

    await a.pubsub.publish(channel, { from: "a" });
    await b.pubsub.publish(channel, { from: "b" });

    await vi.waitFor(() => {
      expect(onA).toHaveLength(2);
      expect(onB).toHaveLength(2);
    });
    await sleep(SETTLE_MS);
    expect(onA).toEqual([{ from: "a" }, { from: "b" }]);
    expect(onB).toEqual([{ from: "a" }, { from: "b" }]);
  });

  it("keeps namespaces apart", async () => {
    const other = await createCacheServices({ redisUrl, namespace: testNamespace() });
    try {
      const channel = randomUUID();
      const received: unknown[] = [];
      await other.pubsub.subscribe(channel, (m) => received.push(m));
      await a.pubsub.publish(channel, "elsewhere");
      await sleep(SETTLE_MS);
      expect(received).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
