// `npm run bench:windows`: the window engine under load, each figure next to a baseline measured
// in the same run. It prints figures; it is not a test.
//   1. events/s through the window engine (read from the log, combined per window, applied to the
//      Redis store with the partitions' offsets), 3 rules × 100 groups, vs a raw baseline: the same
//      events into Redis with HINCRBY (one per rule) and XADD, pipelined, and nothing else;
//   2. window close → row in PostgreSQL and → message on a WebSocket subscriber of the `windows`
//      topic, and → the alert it changes on the `alerts` topic, p50/p95, against a running Lake
//      with 1-second windows (grace 0: a window closes at its end).
//
//   BENCH_DATABASE_URL      recreated every run (default …/lake_bench_windows)
//   REDIS_URL               (default redis://127.0.0.1:6379 when it answers)
//   BENCH_WINDOW_EVENTS     events through the engine in part 1 (default 200000)
//   BENCH_WINDOW_SECONDS    how long part 2 produces (default 20)
//   BENCH_WINDOW_BATCH      events the engine reads per step (default: the engine's, 5000)
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { Redis } from "ioredis";
import WebSocket from "ws";

import { startDatabase } from "../../server/db/database";
import { type NewStreamEvent } from "../../server/stream/events/stream-event";
import { appendEvents, selectLogBounds } from "../../server/stream/events/stream-events.queries";
import { createRedisWindowStore } from "../../server/stream/windows/redis-window-store";
import { startWindowEngine } from "../../server/stream/windows/window-engine";
import { redisPartitionLeases } from "../../server/stream/windows/window-partitions";
import {
  chooseRedis,
  DEFAULT_BENCH_DATABASE_URL,
  loadLine,
  printBenchHeader,
  recreateDatabase,
} from "./bench-environment";
import { createKeys } from "./bench-keys";
import { benchChildren } from "./child-process";
import { TARGET_RATIO } from "./report";
import { startBenchLake } from "./start-lake";

const config = {
  databaseUrl:
    process.env.BENCH_DATABASE_URL ||
    `${DEFAULT_BENCH_DATABASE_URL.replace(/\/[^/]*$/, "")}/lake_bench_windows`,
  redisUrl: process.env.REDIS_URL || undefined,
  events: Number(process.env.BENCH_WINDOW_EVENTS || 200_000),
  seconds: Number(process.env.BENCH_WINDOW_SECONDS || 20),
};
const GROUPS = 100;
const HOUR = 3_600_000;
const TARGET_STORED_P95_MS = 1000;
const children = benchChildren("bench:windows");
const fmt = (n: number) => Math.round(n).toLocaleString("en");
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** A metric of one of 100 hosts, 100 names and 100 partition keys: each rule sees 100 groups. */
function metric(n: number, at: number): NewStreamEvent {
  return {
    topic: "system_metrics",
    partitionKey: `p${n % GROUPS}`,
    eventId: `e${n}-${randomUUID()}`,
    eventTime: new Date(at).toISOString(),
    ownerId: "00000000-0000-0000-0000-000000000001",
    policy: "analytics",
    datasetId: null,
    payload: { host: `h${(n * 7) % GROUPS}`, name: `m${(n * 13) % GROUPS}`, value: n % 1000 },
  };
}

const RULES = [
  { group: "payload.host", fns: ["count", "avg", "max"] },
  { group: "payload.name", fns: ["count", "avg", "max"] },
  { group: "partition_key", fns: ["count", "avg", "max"] },
] as const;

async function engineThroughput(redisUrl: string) {
  const db = await startDatabase({ url: config.databaseUrl, poolSize: 4 });
  const redis = new Redis(redisUrl);
  try {
    // The defaults would aggregate too: only the bench's three rules run.
    await db.prisma.aggregationRule.deleteMany({});
    for (const [i, rule] of RULES.entries()) {
      await db.prisma.aggregationRule.create({
        data: {
          name: `bench_${i}`,
          topic: "system_metrics",
          windowSeconds: 60,
          graceSeconds: 60,
          functions: [...rule.fns],
          field: "payload.value",
          groupBy: [rule.group],
        },
      });
    }
    const origin = BigInt((await selectLogBounds(db)).head);
    // Event times in the next few minutes: nothing closes while the engine applies them.
    const base = Math.ceil(Date.now() / 60_000) * 60_000 + 10 * 60_000;
    const events = Array.from({ length: config.events }, (_, n) => metric(n, base + (n % 180_000)));
    for (let i = 0; i < events.length; i += 1000) await appendEvents(db, events.slice(i, i + 1000));

    const namespace = `lake-bench-windows-${Date.now()}:`;
    const engine = await startWindowEngine({
      db,
      store: createRedisWindowStore({ redis, namespace }),
      leases: redisPartitionLeases({ redis, namespace, workerId: "bench", leaseMs: HOUR }),
      origin: { offset: origin, through: Date.now() },
      clock: () => Date.now(),
      pollMs: HOUR,
      closeEveryMs: HOUR,
      batchSize: Number(process.env.BENCH_WINDOW_BATCH) || undefined,
    });
    const started = performance.now();
    await engine.settle();
    const lakeRate = config.events / ((performance.now() - started) / 1000);
    await engine.stop();
    const open = await redis.zcard(`${namespace}open`);

    // The baseline: each event straight into Redis, one HINCRBY per rule and an XADD.
    const raw = `lake-bench-windows-raw-${Date.now()}:`;
    const rawStarted = performance.now();
    for (let i = 0; i < events.length; i += 1000) {
      const pipeline = redis.pipeline();
      for (const event of events.slice(i, i + 1000)) {
        const payload = event.payload as { host: string; name: string; value: number };
        const window = Math.floor(Date.parse(event.eventTime) / 60_000);
        pipeline.hincrby(`${raw}w:0:${window}:${payload.host}`, "c", 1);
        pipeline.hincrby(`${raw}w:1:${window}:${payload.name}`, "c", 1);
        pipeline.hincrby(`${raw}w:2:${window}:${event.partitionKey}`, "c", 1);
        pipeline.xadd(`${raw}bus`, "MAXLEN", "~", 100_000, "*", "e", JSON.stringify(event));
      }
      await pipeline.exec();
    }
    const rawRate = config.events / ((performance.now() - rawStarted) / 1000);
    await cleanUp(redis, namespace);
    await cleanUp(redis, raw);
    return { lakeRate, rawRate, open };
  } finally {
    redis.disconnect();
    await db.close();
  }
}

async function cleanUp(redis: Redis, prefix: string) {
  for (let cursor = "0"; ;) {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
    if (cursor === "0") break;
  }
}

/** Produces for `seconds` into 1-second windows; each window's stored and pushed delay after it closed. */
async function closeLatency(redisUrl: string | undefined) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "lake-bench-windows-"));
  await recreateDatabase(config.databaseUrl);
  const lake = await startBenchLake({
    children,
    databaseUrl: config.databaseUrl,
    redisUrl,
    dataDir,
    redisPrefix: `lake-bench-windows-lake-${Date.now()}:`,
  });
  const keys = await createKeys(config.databaseUrl);
  const headers = { "x-api-key": keys.producer, "content-type": "application/json" };
  const rule = `close_${Date.now()}`;
  const created = await fetch(`${lake.baseUrl}/api/v1/lake/windows/rules`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: rule,
      topic: "system_metrics",
      window_seconds: 1,
      grace_seconds: 0,
      functions: ["count", "avg", "max"],
      field: "payload.value",
      group_by: ["payload.host"],
    }),
  });
  if (created.status !== 201) throw new Error(`rule: ${created.status} ${await created.text()}`);
  // Values cycle through 0…499, so a window's mean hovers about 249.5: the alert changes state
  // often, each change evaluated as its window is stored.
  const alert = await fetch(`${lake.baseUrl}/api/v1/lake/alerts/rules`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      name: `${rule}_alert`,
      aggregation: rule,
      function: "avg",
      threshold: 249.5,
    }),
  });
  if (alert.status !== 201) throw new Error(`alert: ${alert.status} ${await alert.text()}`);
  await sleep(3000); // the engine's next rule refresh

  const pushed = new Map<string, number>();
  const alerted: number[] = [];
  const socket = new WebSocket(
    lake.baseUrl.replace("http", "ws") + "/api/v1/lake/stream",
    ["lake.v1"],
    {
      headers: { "x-api-key": keys.reader },
    },
  );
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  socket.on("message", (data: Buffer) => {
    const message = JSON.parse(data.toString()) as {
      type: string;
      event?: {
        topic: string;
        payload: {
          rule: string;
          aggregation?: string;
          window_end: string;
          group: Record<string, string>;
        };
      };
    };
    const payload = message.event?.payload;
    if (message.event?.topic === "alerts" && payload?.aggregation === rule) {
      alerted.push(Date.now() - Date.parse(payload.window_end));
    } else if (message.type === "event" && payload?.rule === rule) {
      pushed.set(
        `${new Date(payload.window_end).toISOString()} ${payload.group["payload.host"]}`,
        Date.now(),
      );
    }
  });
  socket.send(JSON.stringify({ type: "subscribe", id: 1, topics: ["windows", "alerts"] }));
  await sleep(500);

  let n = 0;
  const until = Date.now() + config.seconds * 1000;
  while (Date.now() < until) {
    const events = Array.from({ length: 20 }, () => {
      n += 1;
      return {
        topic: "system_metrics",
        partition_key: `h${n % 10}`,
        event_time: new Date().toISOString(),
        payload: { host: `h${n % 10}`, name: "latency_ms", value: n % 500 },
      };
    });
    const response = await fetch(`${lake.baseUrl}/api/v1/lake/stream/events`, {
      method: "POST",
      headers,
      body: JSON.stringify({ events }),
    });
    if (response.status !== 201) throw new Error(`ingest: ${response.status}`);
    await sleep(100);
  }
  await sleep(3000);
  socket.close();

  const db = await startDatabase({ url: config.databaseUrl, poolSize: 2 });
  const { rows } = await db.pool.query<{ end: Date; closed: Date; host: string }>(
    `SELECT w.window_end AS "end", w.closed_at AS closed, w.group_values->>'payload.host' AS host
       FROM window_aggregates w JOIN aggregation_rules r ON r.id = w.rule_id WHERE r.name = $1`,
    [rule],
  );
  await db.close();
  // A window may close once its end has passed (grace 0): delays count from its end.
  const stored = rows.map((row) => row.closed.getTime() - row.end.getTime());
  const push = rows.flatMap((row) => {
    const at = pushed.get(`${row.end.toISOString()} ${row.host}`);
    return at === undefined ? [] : [at - row.end.getTime()];
  });
  rmSync(dataDir, { recursive: true, force: true });
  return { windows: rows.length, pushedCount: push.length, stored, push, alerted, events: n };
}

async function main() {
  printBenchHeader("bench:windows");
  await recreateDatabase(config.databaseUrl);
  const redis = await chooseRedis(config.redisUrl);
  console.log(`redis:    ${redis.url ?? "none"} (${redis.reason})`);
  if (!redis.url) throw new Error("bench:windows compares against Redis: set REDIS_URL.");
  // The schema: a Lake's start migrates the database; this process needs the tables first.
  const migrate = await startDatabase({ url: config.databaseUrl, poolSize: 1 });
  await migrate.close();

  console.log(
    `\n1. window engine: ${fmt(config.events)} events, 3 rules × ${GROUPS} groups, count/avg/max (load ${loadLine()})`,
  );
  const throughput = await engineThroughput(redis.url);
  console.log(
    `   Lake engine (log → Redis store, exactly once)  ${fmt(throughput.lakeRate)} events/s   (${fmt(throughput.open)} windows open)`,
  );
  console.log(
    `   raw Redis HINCRBY ×3 + XADD, pipelined        ${fmt(throughput.rawRate)} events/s   ratio ${(throughput.lakeRate / throughput.rawRate).toFixed(2)}× (target ≥ ${TARGET_RATIO}×)`,
  );

  console.log(
    `\n2. window close → stored and pushed: 1 s windows × 10 groups for ${config.seconds} s (load ${loadLine()})`,
  );
  const latency = await closeLatency(redis.url);
  console.log(
    `   ${latency.windows} windows from ${fmt(latency.events)} events; stored after their end: p50 ${percentile(latency.stored, 50)} ms, p95 ${percentile(latency.stored, 95)} ms (target ≤ ${TARGET_STORED_P95_MS} ms)`,
  );
  console.log(
    `   on a WebSocket (${latency.pushedCount} received): p50 ${percentile(latency.push, 50)} ms, p95 ${percentile(latency.push, 95)} ms (target ≤ ${TARGET_STORED_P95_MS} ms)`,
  );
  console.log(
    `   alert state changes on a WebSocket (${latency.alerted.length}): p50 ${percentile(latency.alerted, 50)} ms, p95 ${percentile(latency.alerted, 95)} ms after their window's end (target ≤ 2000 ms after it closes)`,
  );
  console.log(`load average at the end: ${loadLine()}`);
  await children.stop();
}

children.run(main);
