import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { createCacheServices, type CacheServices } from "../../cache/cache-services";
import { redisBackends } from "../../testing/backends";
import { useTestDatabase } from "../../testing/test-database";
import { type NewStreamEvent, type StoredEvent } from "../events/stream-event";
import { createEventTail, type EventTail } from "../live/event-tail";
import { appendStored } from "../testing/append-stored";
import { toBusRecord } from "./bus-record";
import { type EventBus } from "./event-bus";
import { createMemoryEventBus } from "./memory-event-bus";
import { createRedisEventBus } from "./redis-event-bus";

const OWNER = randomUUID();
const HOUR = 3_600_000;

const newEvent = (i: number, partitionKey = `k${i % 3}`): NewStreamEvent => ({
  topic: "user_events",
  partitionKey,
  eventId: randomUUID(),
  eventTime: new Date().toISOString(),
  ownerId: OWNER,
  policy: "user_data",
  datasetId: null,
  payload: { i },
});

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

describe.each(redisBackends)("the event bus ($name)", (backend) => {
  const db = useTestDatabase({});
  const namespace = `lake-test:${randomUUID()}:bus:`;

  async function bus(options: { claimIdleMs?: number } = {}): Promise<EventBus> {
    if (!backend.url) {
      const memory = createMemoryEventBus();
      closers.push(() => memory.close());
      return memory;
    }
    const cache: CacheServices = await createCacheServices({ redisUrl: backend.url });
    const redis = createRedisEventBus({
      redis: cache.redis!,
      namespace,
      partitions: 2,
      maxLength: 10_000,
      retentionMs: HOUR,
      ...options,
    });
    closers.push(
      () => cache.close(),
      () => redis.close(),
    );
    return redis;
  }

  async function tail(
    on: EventBus,
    pollMs = HOUR,
  ): Promise<{ tail: EventTail; seen: StoredEvent[] }> {
    const created = await createEventTail({ db: db(), bus: on, pollMs });
    closers.push(() => created.close());
    const seen: StoredEvent[] = [];
    created.listen((event) => seen.push(event));
    return { tail: created, seen };
  }

  const append = (count: number) =>
    appendStored(
      db(),
      Array.from({ length: count }, (_, i) => newEvent(i)),
    );

  it("hands events on in offset order, once, whatever order and repeats the bus brings", async () => {
    const on = await bus();
    const { seen } = await tail(on);
    const stored = await append(6);
    await on.publish([stored[3]!, stored[1]!, stored[1]!]);
    await on.publish([stored[0]!, stored[2]!, stored[5]!, stored[4]!, stored[0]!]);
    await expect.poll(() => seen.length).toBe(6);
    expect(seen.map((e) => e.offset)).toEqual(stored.map((e) => e.offset));
  });

  it("reads from the log what never reached the bus", async () => {
    const on = await bus();
    const { seen } = await tail(on, 100);
    // A publisher that died after its commit: nothing on the bus, the poll finds it.
    const lost = await append(3);
    await expect.poll(() => seen.length).toBe(3);
    // A later event on the bus reveals a gap, which the tail fills from the log at once.
    const more = await append(3);
    await on.publish([more[2]!]);
    await expect.poll(() => seen.length).toBe(6);
    expect(seen.map((e) => e.offset)).toEqual([...lost, ...more].map((e) => e.offset));
  });

  it.runIf(backend.url)("carries events between instances on one Redis", async () => {
    const [a, b] = [await bus(), await bus()];
    const { seen } = await tail(b);
    await b.listening();
    // More than one entry holds per partition (64 events each).
    const stored = await append(300);
    await a.publish(stored);
    await expect.poll(() => seen.length).toBe(300);
    expect(seen.map((e) => e.offset)).toEqual(stored.map((e) => e.offset));
    expect(seen[0]).toEqual(stored[0]);

    // An entry of the first format, one event under "r", is still read.
    const [legacy] = await append(1);
    const raw = await createCacheServices({ redisUrl: backend.url });
    closers.push(() => raw.close());
    await raw.redis!.xadd(`${namespace}user_events:0`, "*", "r", toBusRecord(legacy!), "i", "old");
    await expect.poll(() => seen.length).toBe(301);
    expect(seen[300]).toEqual(legacy);
  });

  it("shares a group's events between its consumers and redelivers what one failed", async () => {
    const on = await bus({ claimIdleMs: 300 });
    const handled: StoredEvent[] = [];
    let failOnce = true;
    const group = `g-${randomUUID()}`;
    const consumers = ["c1", "c2"].map((consumer) =>
      on.consume({
        group,
        consumer,
        handler: async (events) => {
          if (failOnce) {
            failOnce = false;
            throw new Error("processor crashed");
          }
          handled.push(...events);
        },
      }),
    );
    closers.push(() => Promise.all(consumers.map((c) => c.stop())).then(() => undefined));
    // A group receives what is published once it exists.
    await Promise.all(consumers.map((c) => c.ready));
    const stored = await append(20);
    await on.publish(stored.slice(0, 10));
    await on.publish(stored.slice(10));
    await expect
      .poll(() => new Set(handled.map((e) => e.offset)).size, { timeout: 15_000 })
      .toBe(20);
  });
});
