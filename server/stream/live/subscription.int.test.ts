import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { useTestDatabase } from "../../testing/test-database";
import { createMemoryEventBus } from "../bus/memory-event-bus";
import { type NewStreamEvent, type StoredEvent } from "../events/stream-event";
import { appendStored } from "../testing/append-stored";
import { createEventTail } from "./event-tail";
import { openSubscription } from "./subscription";

const HOUR = 3_600_000;
const closers: (() => void)[] = [];
afterEach(() => {
  while (closers.length > 0) closers.pop()!();
});

describe("a subscription", () => {
  const db = useTestDatabase({});
  const owner = randomUUID();
  const principal: Principal = {
    userId: owner,
    email: "p@lake.test",
    roles: ["producer"],
    permissions: new Set(["read", "write"]),
  } as unknown as Principal;

  const append = (count: number, policy: "user_data" | "analytics" = "user_data") => {
    const events: NewStreamEvent[] = Array.from({ length: count }, (_, i) => ({
      topic: "user_events",
      partitionKey: "k",
      eventId: randomUUID(),
      eventTime: new Date().toISOString(),
      ownerId: owner,
      policy,
      datasetId: null,
      payload: { i },
    }));
    return appendStored(db(), events);
  };

  it("resumed after an offset this instance's tail has not reached yet gets nothing twice", async () => {
    const bus = createMemoryEventBus();
    const tail = await createEventTail({ db: db(), bus, pollMs: HOUR });
    closers.push(
      () => tail.close(),
      () => void bus.close(),
    );
    // Stored on another instance; this tail has not heard of them yet.
    const earlier = await append(3);
    const received: StoredEvent[] = [];
    const subscription = await openSubscription({
      db: db(),
      tail,
      principal,
      spec: { topics: ["user_events"], filters: [], after: earlier[2]!.offset },
      transport: "websocket",
      subscriber: { send: (event) => received.push(event), room: async () => {}, fail: () => {} },
    });
    closers.push(() => subscription.close());
    const later = await append(1);
    await bus.publish([...earlier, ...later]);
    await expect.poll(() => received.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.map((e) => e.offset)).toEqual([later[0]!.offset]);
  });
});
