import { randomUUID } from "node:crypto";

import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import { databaseBackends, redisBackends } from "../../testing/backends";
import { useTestDatabase } from "../../testing/test-database";
import { type NewStreamEvent } from "../events/stream-event";
import { selectLogBounds } from "../events/stream-events.queries";
import { appendStored } from "../testing/append-stored";
import { createMemoryWindowStore } from "./memory-window-store";
import { createRedisWindowStore } from "./redis-window-store";
import { startWindowEngine, type WindowEngine } from "./window-engine";
import { allPartitions, redisPartitionLeases, type PartitionLeases } from "./window-partitions";
import { type WindowStore } from "./window-store";
import { loadWindowCheckpoint } from "./windows.queries";
import { recomputeWindow } from "./recompute-window";
import { createTestUser } from "../../testing/identity-fixtures";
import { rejection } from "../../testing/rejection";
import { recomputeWindows, storedWindows } from "./testing/recompute-windows";

const MINUTE = 60_000;
const HOUR = 3_600_000;

const engines: WindowEngine[] = [];
let replays = 0;
afterEach(async () => {
  while (engines.length > 0) await engines.pop()!.stop();
});

describe.each(databaseBackends)("window engine on the $name database", (backend) => {
  const db = useTestDatabase(backend);

  describe.each(redisBackends)("with the $name store", (store) => {
    const redis = store.url ? new Redis(store.url) : undefined;
    afterAll(() => redis?.disconnect());

    /** A store of its own per test: the Redis store's clock never runs back. */
    function newStore(namespace = `lake:test:win:${randomUUID()}:`): WindowStore {
      return redis ? createRedisWindowStore({ redis, namespace }) : createMemoryWindowStore();
    }
    function leasesFor(namespace: string, workerId = randomUUID()): PartitionLeases {
      return redis
        ? redisPartitionLeases({ redis, namespace, workerId, leaseMs: 10_000 })
        : allPartitions();
    }

    async function createRule(rule: {
      topic: string;
      field: string | null;
      groupBy: string[];
      windowSeconds?: number;
      graceSeconds?: number;
    }) {
      return db().prisma.aggregationRule.create({
        data: {
          name: `r_${randomUUID().slice(0, 8)}`,
          topic: rule.topic,
          windowSeconds: rule.windowSeconds ?? 60,
          graceSeconds: rule.graceSeconds ?? 10,
          functions: ["count", "avg", "max", "min", "sum"],
          field: rule.field,
          groupBy: rule.groupBy,
        },
      });
    }

    async function start(options: {
      store: WindowStore;
      leases: PartitionLeases;
      clock: () => number;
      origin: bigint;
    }) {
      const engine = await startWindowEngine({
        db: db(),
        ...options,
        // The log's head, which holds every event stored before the engine's time now.
        origin: { offset: options.origin, through: options.clock() },
        pollMs: HOUR,
        closeEveryMs: HOUR,
      });
      engines.push(engine);
      return engine;
    }

    it("aggregates out-of-order events exactly, keeps late ones aside, and announces each window", async () => {
      const namespace = `lake:test:win:${randomUUID()}:`;
      const rule = await createRule({
        topic: "system_metrics",
        field: "payload.value",
        groupBy: ["payload.name"],
      });
      // Future minutes, so the store's clock is the test's.
      const t0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 10 * MINUTE;
      let now = t0 + 30_000;
      const origin = BigInt((await selectLogBounds(db())).head);
      const engine = await start({
        store: newStore(namespace),
        leases: leasesFor(namespace),
        clock: () => now,
        origin,
      });

      const metric = (at: number, name: string, value: unknown): NewStreamEvent => ({
        topic: "system_metrics",
        partitionKey: `host-${Math.floor(at / 1000) % 7}`,
        eventId: randomUUID(),
        eventTime: new Date(at).toISOString(),
        ownerId: randomUUID(),
        policy: "analytics",
        datasetId: null,
        payload: { host: "h", name, value },
      });
      // Out of order: the second window's events come first, then the first's.
      const first = await appendStored(db(), [
        metric(t0 + 61_000, "cpu", 7),
        metric(t0 + 1_000, "cpu", 10),
        metric(t0 + 59_000, "cpu", 30),
        metric(t0 + 2_000, "mem", 5),
        metric(t0 + 65_000, "mem", 1),
        metric(t0 + 3_000, "cpu", "high"),
        metric(t0 + 20_000, "cpu", 20),
      ]);
      await engine.settle();
      expect(await storedWindows(db(), rule.id)).toEqual([]);

      // Past the first window's end and grace (70 s): it closes; one more event for it is late.
      now = t0 + 75_000;
      await engine.settle();
      const late = await appendStored(db(), [
        metric(t0 + 4_000, "cpu", 1000),
        metric(t0 + 100_000, "cpu", 9),
      ]);
      await engine.settle();
      now = t0 + 131_000;
      await engine.settle();

      const start0 = new Date(t0).toISOString();
      const start1 = new Date(t0 + MINUTE).toISOString();
      expect(await storedWindows(db(), rule.id)).toEqual([
        { start: start0, group: ["cpu"], count: 3, sum: 60, min: 10, max: 30, rejected: 1 },
        { start: start0, group: ["mem"], count: 1, sum: 5, min: 5, max: 5, rejected: 0 },
        { start: start1, group: ["cpu"], count: 2, sum: 16, min: 7, max: 9, rejected: 0 },
        { start: start1, group: ["mem"], count: 1, sum: 1, min: 1, max: 1, rejected: 0 },
      ]);
      const { rows: lateRows } = await db().pool.query<{ offset: string }>(
        `SELECT "offset"::text AS "offset" FROM window_late_events WHERE rule_id = $1`,
        [rule.id],
      );
      expect(lateRows.map((row) => row.offset)).toEqual([late[0]!.offset]);
      // Recomputed from the log, late events aside, the stored windows agree.
      expect(await recomputeWindows(db(), rule.id, origin)).toEqual(
        await storedWindows(db(), rule.id),
      );

      const { rows: announced } = await db().pool.query<{ payload: Record<string, unknown> }>(
        `SELECT payload FROM stream_outbox WHERE topic = 'windows' AND partition_key = $1
          ORDER BY payload->>'window_start', payload->>'group'`,
        [rule.name],
      );
      expect(announced).toHaveLength(4);
      expect(announced[0]!.payload).toMatchObject({
        count: 3,
        avg: 20,
        max: 30,
        group: { "payload.name": "cpu" },
      });
      expect(first).toHaveLength(7);
    });

    it("counts an event stored before its window closed, however late the engine reads it", async () => {
      const namespace = `lake:test:win:${randomUUID()}:`;
      const rule = await createRule({
        topic: "system_metrics",
        field: "payload.value",
        groupBy: ["payload.host"],
      });
      const t0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 20 * MINUTE;
      let now = t0 + 30_000;
      const engine = await start({
        store: newStore(namespace),
        leases: leasesFor(namespace),
        clock: () => now,
        origin: BigInt((await selectLogBounds(db())).head),
      });
      await engine.settle();
      const metric = (at: number, value: number): NewStreamEvent => ({
        topic: "system_metrics",
        partitionKey: "db-1",
        eventId: randomUUID(),
        eventTime: new Date(at).toISOString(),
        ownerId: randomUUID(),
        policy: "analytics",
        datasetId: null,
        payload: { host: "db-1", value },
      });
      // Stored at t0 + 30 s, before its window (t0 … t0 + 60 s, 10 s of grace) closes; the engine
      // is busy elsewhere and reads it only four minutes later.
      await appendStored(db(), [metric(t0 + 10_000, 7)]);
      now = t0 + 5 * MINUTE;
      await engine.settle();
      // Stored after the engine's log time passed that window's close: late.
      await appendStored(db(), [metric(t0 + 20_000, 1000)]);
      await engine.settle();

      expect(await storedWindows(db(), rule.id)).toEqual([
        {
          start: new Date(t0).toISOString(),
          group: ["db-1"],
          count: 1,
          sum: 7,
          min: 7,
          max: 7,
          rejected: 0,
        },
      ]);
      expect(await lateCount(rule.id)).toBe(1);
    });

    it("applies a new rule to the events stored after it, while the engine runs", async () => {
      const namespace = `lake:test:win:${randomUUID()}:`;
      const t0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 40 * MINUTE;
      let now = t0;
      const engine = await startWindowEngine({
        db: db(),
        store: newStore(namespace),
        leases: leasesFor(namespace),
        clock: () => now,
        origin: { offset: BigInt((await selectLogBounds(db())).head), through: now },
        pollMs: 20,
        closeEveryMs: HOUR,
        refreshMs: HOUR,
      });
      engines.push(engine);
      await engine.settle();
      // The engine keeps stepping on its own; the rule comes between two of its steps.
      const rule = await createRule({ topic: "user_events", field: null, groupBy: [] });
      const ownerId = randomUUID();
      await appendStored(db(), [
        {
          topic: "user_events",
          partitionKey: ownerId,
          eventId: randomUUID(),
          eventTime: new Date(t0 + 1000).toISOString(),
          ownerId,
          policy: "user_data",
          datasetId: null,
          payload: { action: "click" },
        },
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      now = t0 + 5 * MINUTE;
      await engine.settle();
      expect((await storedWindows(db(), rule.id)).map((window) => window.count)).toEqual([1]);
    });

    it("groups an owner_only topic's windows by owner and counts events without a field", async () => {
      const namespace = `lake:test:win:${randomUUID()}:`;
      const rule = await createRule({
        topic: "user_events",
        field: null,
        groupBy: ["payload.action"],
      });
      const t0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 10 * MINUTE;
      let now = t0;
      const engine = await start({
        store: newStore(namespace),
        leases: leasesFor(namespace),
        clock: () => now,
        origin: BigInt((await selectLogBounds(db())).head),
      });
      const [alice, bob] = [randomUUID(), randomUUID()];
      const click = (ownerId: string, at: number): NewStreamEvent => ({
        topic: "user_events",
        partitionKey: ownerId,
        eventId: randomUUID(),
        eventTime: new Date(at).toISOString(),
        ownerId,
        policy: "user_data",
        datasetId: null,
        payload: { action: "click" },
      });
      await appendStored(db(), [click(alice, t0 + 1), click(bob, t0 + 2), click(alice, t0 + 3)]);
      await engine.settle();
      now = t0 + 2 * MINUTE;
      await engine.settle();
      const { rows } = await db().pool.query<{ owner_id: string; count: string; sum: null }>(
        `SELECT owner_id, count::text AS count, sum FROM window_aggregates WHERE rule_id = $1`,
        [rule.id],
      );
      expect(rows.sort((a, b) => Number(b.count) - Number(a.count))).toEqual([
        { owner_id: alice, count: "2", sum: null },
        { owner_id: bob, count: "1", sum: null },
      ]);
    });

    it("resumes after a crash where its store left off: nothing lost, nothing counted twice", async () => {
      const namespace = `lake:test:win:${randomUUID()}:`;
      const rule = await createRule({
        topic: "system_metrics",
        field: "payload.value",
        groupBy: ["payload.host"],
      });
      const t0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 30 * MINUTE;
      let now = t0;
      const origin = BigInt((await selectLogBounds(db())).head);
      const metric = (i: number): NewStreamEvent => ({
        topic: "system_metrics",
        partitionKey: `p${i % 13}`,
        eventId: randomUUID(),
        eventTime: new Date(t0 + (i % 3) * MINUTE + (i % 50)).toISOString(),
        ownerId: randomUUID(),
        policy: "analytics",
        datasetId: null,
        payload: { host: `h${i % 4}`, name: "load", value: i % 17 },
      });
      const firstStore = newStore(namespace);
      const first = await startWindowEngine({
        db: db(),
        store: firstStore,
        leases: leasesFor(namespace),
        clock: () => now,
        origin: { offset: origin, through: now },
        pollMs: HOUR,
        closeEveryMs: HOUR,
        batchSize: 50,
      });
      for (let i = 0; i < 300; i += 100) {
        await appendStored(
          db(),
          Array.from({ length: 100 }, (_, k) => metric(i + k)),
        );
      }
      await first.settle();
      now = t0 + MINUTE + 20_000; // the first minute closes
      await first.settle();
      await appendStored(
        db(),
        Array.from({ length: 100 }, (_, k) => metric(300 + k)),
      );
      // The crash: the engine stops between steps, and an in-process store's state is gone.
      await first.stop();

      const store = redis ? firstStore : createMemoryWindowStore(await loadWindowCheckpoint(db()));
      const second = await start({ store, leases: leasesFor(namespace), clock: () => now, origin });
      await appendStored(
        db(),
        Array.from({ length: 100 }, (_, k) => metric(400 + k)),
      );
      await second.settle();
      now = t0 + 5 * MINUTE;
      await second.settle();
      const stored = await storedWindows(db(), rule.id);
      const late = await lateCount(rule.id);
      expect(late).toBeGreaterThan(0);
      expect(stored.reduce((n, w) => n + w.count, 0)).toBe(500 - late);
      expect(await recomputeWindows(db(), rule.id, origin)).toEqual(stored);
    });

    it("keeps events that come after their window as late, and recomputes the window with them on demand", async () => {
      const namespace = `lake:test:win:${randomUUID()}:`;
      const rule = await createRule({
        topic: "system_metrics",
        field: "payload.value",
        groupBy: ["payload.host"],
      });
      const admin = (await createTestUser(db(), "admin")).principal;
      await db().prisma.aggregationRule.update({
        where: { id: rule.id },
        data: { createdBy: admin.userId },
      });
      const origin = BigInt((await selectLogBounds(db())).head);
      const engine = await start({
        store: newStore(namespace),
        leases: leasesFor(namespace),
        clock: () => Date.now(),
        origin,
      });
      // A replay of an hour ago: every window closed long since. A minute of its own per run.
      const start0 = Math.floor((Date.now() - HOUR) / MINUTE) * MINUTE - replays++ * 5 * MINUTE;
      await appendStored(
        db(),
        [3, 5, 10].map((value, i) => ({
          topic: "system_metrics",
          partitionKey: "h",
          eventId: randomUUID(),
          eventTime: new Date(start0 + i * 1000).toISOString(),
          ownerId: admin.userId,
          policy: "analytics",
          datasetId: null,
          payload: { host: "h1", name: "load", value },
        })),
      );
      await engine.settle();
      expect(await storedWindows(db(), rule.id)).toEqual([]);
      expect(await lateCount(rule.id)).toBe(3);

      const open = await rejection(
        recomputeWindow({
          db: db(),
          principal: admin,
          rule: rule.name,
          body: { window_start: new Date(Math.floor(Date.now() / MINUTE) * MINUTE).toISOString() },
        }),
      );
      expect(open).toMatchObject({ code: "conflict" });
      const result = await recomputeWindow({
        db: db(),
        principal: admin,
        rule: rule.name,
        body: { window_start: new Date(start0).toISOString() },
      });
      expect(result).toEqual({ groups: 1, events: 3, late_included: 3 });
      expect(await storedWindows(db(), rule.id)).toEqual([
        {
          start: new Date(start0).toISOString(),
          group: ["h1"],
          count: 3,
          sum: 18,
          min: 3,
          max: 10,
          rejected: 0,
        },
      ]);
    });

    async function lateCount(ruleId: string) {
      const { rows } = await db().pool.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM window_late_events WHERE rule_id = $1",
        [ruleId],
      );
      return Number(rows[0]!.n);
    }
  });
});
