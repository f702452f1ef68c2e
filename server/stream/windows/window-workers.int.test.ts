import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";

import { databaseBackends, redisBackends } from "../../testing/backends";
import { useTestDatabase } from "../../testing/test-database";
import { type NewStreamEvent } from "../events/stream-event";
import { selectLogBounds } from "../events/stream-events.queries";
import { appendStored } from "../testing/append-stored";
import { createRedisWindowStore } from "./redis-window-store";
import { startWindowEngine } from "./window-engine";
import { redisPartitionLeases, WINDOW_PARTITIONS } from "./window-partitions";
import { recomputeWindows, storedWindows } from "./testing/recompute-windows";

const server = databaseBackends.find((backend) => backend.name === "server");
const redisBackend = redisBackends.find((backend) => backend.name === "redis");
const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Workers sharing one Redis store: they split the log, and no window is emitted twice. */
describe.runIf(server && redisBackend)("window workers on one Redis", () => {
  const db = useTestDatabase(server!);
  const redis = new Redis(redisBackend!.url!);
  afterAll(() => redis.disconnect());

  const metric = (at: number, i: number): NewStreamEvent => ({
    topic: "system_metrics",
    partitionKey: `host-${i % 97}`,
    eventId: randomUUID(),
    eventTime: new Date(at).toISOString(),
    ownerId: randomUUID(),
    policy: "analytics",
    datasetId: null,
    payload: { host: `h${i % 5}`, name: "load", value: i % 23 },
  });
  const createRule = (windowSeconds: number, graceSeconds: number) =>
    db().prisma.aggregationRule.create({
      data: {
        name: `r_${randomUUID().slice(0, 8)}`,
        topic: "system_metrics",
        windowSeconds,
        graceSeconds,
        functions: ["count", "avg", "max"],
        field: "payload.value",
        groupBy: ["payload.host"],
      },
    });
  const windowsAnnounced = async (ruleName: string) => {
    const { rows } = await db().pool.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM stream_outbox WHERE topic = 'windows' AND partition_key = $1",
      [ruleName],
    );
    return Number(rows[0]!.n);
  };

  it("two workers split the partitions, count every event once and store each window once", async () => {
    const namespace = `lake:test:win:${randomUUID()}:`;
    const rule = await createRule(60, 10);
    const t0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 10 * MINUTE;
    let now = t0;
    const origin = BigInt((await selectLogBounds(db())).head);
    const workers = await Promise.all(
      ["a", "b"].map((name) =>
        startWindowEngine({
          db: db(),
          store: createRedisWindowStore({ redis, namespace }),
          leases: redisPartitionLeases({ redis, namespace, workerId: name, leaseMs: 10_000 }),
          clock: () => now,
          origin: { offset: origin, through: now },
          pollMs: HOUR,
          closeEveryMs: HOUR,
          batchSize: 200,
        }),
      ),
    );
    try {
      // Each refresh moves the leases toward an even split.
      for (let round = 0; round < 3; round++) for (const worker of workers) await worker.settle();
      const owners = await redis.mget(
        Array.from({ length: WINDOW_PARTITIONS }, (_, p) => `${namespace}lease:${p}`),
      );
      expect(owners.filter((owner) => owner === "a")).toHaveLength(WINDOW_PARTITIONS / 2);
      expect(owners.filter((owner) => owner === "b")).toHaveLength(WINDOW_PARTITIONS / 2);

      for (let i = 0; i < 1000; i += 250) {
        await appendStored(
          db(),
          Array.from({ length: 250 }, (_, k) => metric(t0 + ((i + k) % 3) * MINUTE, i + k)),
        );
        await Promise.all(workers.map((worker) => worker.settle()));
      }
      now = t0 + 4 * MINUTE;
      await Promise.all(workers.map((worker) => worker.settle()));
      await Promise.all(workers.map((worker) => worker.settle()));

      const stored = await storedWindows(db(), rule.id);
      expect(stored).toHaveLength(15);
      expect(stored.reduce((n, w) => n + w.count, 0)).toBe(1000);
      expect(await recomputeWindows(db(), rule.id, origin)).toEqual(stored);
      expect(await windowsAnnounced(rule.name)).toBe(15);
    } finally {
      for (const worker of workers) await worker.stop();
    }
  });

  it("a worker process killed mid-stream and started again: the windows equal a batch recomputation", async () => {
    const prefix = `lake-test:${randomUUID()}:`;
    const rule = await createRule(2, 4);
    const workerEnv = {
      ...process.env,
      DATABASE_URL: db().url,
      REDIS_URL: redisBackend!.url,
      LAKE_REDIS_PREFIX: prefix,
      LAKE_WINDOW_LEASE_SECONDS: "2",
      LOG_LEVEL: "warn",
    };
    const startWorker = async () => {
      const child = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
        env: workerEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("worker is running")) resolve();
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("exit", (code) => reject(new Error(`worker exited (${code}): ${output}`)));
      });
      await ready;
      return child;
    };

    const first = await startWorker();
    const origin = BigInt((await selectLogBounds(db())).head);
    let produced = 0;
    const produce = async (ms: number) => {
      for (const until = Date.now() + ms; Date.now() < until; await sleep(50)) {
        await appendStored(
          db(),
          Array.from({ length: 20 }, (_, k) => metric(Date.now() - (k % 5) * 300, produced + k)),
        );
        produced += 20;
      }
    };
    try {
      await produce(2500);
      first.kill("SIGKILL");
      await produce(1000);
      const second = await startWorker();
      try {
        await produce(1500);
        // Every window ends by the last event's time plus one window; closed after its grace.
        const { rows } = await db().pool.query<{ due: Date }>(
          `SELECT max(event_time) + interval '6 seconds' AS due FROM stream_events
            WHERE "offset" > $1`,
          [origin.toString()],
        );
        const due = rows[0]!.due.getTime();
        for (let waited = 0; ; waited += 250) {
          // The default rules' windows stay open for minutes: only this rule's count.
          const ours = async (key: string) =>
            (await redis.zrange(key, "0", "-1")).filter((window) => window.startsWith(rule.id))
              .length;
          const open = await ours(`${prefix}win:open`);
          const closing = await ours(`${prefix}win:closing`);
          if (Date.now() > due && open + closing === 0) break;
          if (waited > 30_000) throw new Error(`windows still open: ${open}, closing: ${closing}`);
          await sleep(250);
        }
        const stored = await storedWindows(db(), rule.id);
        const { rows: late } = await db().pool.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM window_late_events WHERE rule_id = $1",
          [rule.id],
        );
        expect(stored.reduce((n, w) => n + w.count, 0) + Number(late[0]!.n)).toBe(produced);
        expect(await recomputeWindows(db(), rule.id, origin)).toEqual(stored);
      } finally {
        second.kill("SIGTERM");
      }
    } finally {
      first.kill("SIGKILL");
    }
  }, 90_000);
});
