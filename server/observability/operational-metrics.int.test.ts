import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createCacheServices, type CacheServices } from "../cache/cache-services";
import { registerQueueMetrics } from "../cache/queue-metrics";
import { registerRedisMetrics } from "../cache/redis-metrics";
import { useFlakyRedisPair } from "../cache/testing/flaky-redis";
import { deleteNamespace, testNamespace } from "../cache/testing/redis-namespace";
import { registerPoolMetrics } from "../db/pool-metrics";
import { appendBatches, checkEvents } from "../stream/events/ingest-events";
import { openSubscription } from "../stream/live/subscription";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestProducer } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { metrics } from "./metrics";

type Labels = Record<string, string | number>;

/** A series' value as a scrape would read it (gauges read on scrape are collected first). */
async function valueOf(name: string, labels: Labels = {}): Promise<number | undefined> {
  const metric = metrics().registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  const match = values.find((each) =>
    Object.entries(labels).every(([key, value]) => each.labels[key] === value),
  );
  return match?.value;
}

const sumOf = async (name: string, labels: Labels) => (await valueOf(name, labels)) ?? 0;

describe.each(databaseBackends)("operational metrics ($name)", (backend) => {
  const services = useTestServices(backend, redisBackends.at(-1)!.url);

  it("shows the pool's connections in use while a transaction holds one", async () => {
    const { pool } = services.db();
    registerPoolMetrics(pool);
    expect(await valueOf("db_pool_max_connections")).toBe(pool.options.max);
    const client = await pool.connect();
    try {
      expect(await valueOf("db_pool_connections", { state: "in_use" })).toBeGreaterThanOrEqual(1);
    } finally {
      client.release();
    }
    expect(await valueOf("db_pool_waiting_requests")).toBe(0);
  });

  it("counts producers' events by topic and outcome, and the fan-out by transport", async () => {
    const { principal } = await createTestProducer(services.db());
    const stored = () =>
      sumOf("stream_events_ingested_total", { topic: "user_events", outcome: "stored" });
    const before = {
      stored: await stored(),
      duplicate: await sumOf("stream_events_ingested_total", {
        topic: "user_events",
        outcome: "duplicate",
      }),
      rejected: await sumOf("stream_events_ingested_total", {
        topic: "unknown",
        outcome: "rejected",
      }),
      delivered: await sumOf("stream_events_delivered_total", { transport: "sse" }),
    };

    const received: string[] = [];
    const subscription = await openSubscription({
      db: services.db(),
      tail: services.stream().tail,
      principal,
      spec: { topics: ["user_events"], filters: [] },
      transport: "sse",
      subscriber: {
        send: (event) => received.push(event.eventId),
        room: async () => {},
        fail: () => {},
      },
    });
    try {
      expect(await valueOf("stream_subscriptions", { transport: "sse" })).toBeGreaterThanOrEqual(1);
      const id = randomUUID();
      const event = {
        id,
        topic: "user_events",
        partition_key: principal.userId,
        event_time: new Date().toISOString(),
        payload: { action: "click" },
      };
      const batch = checkEvents(principal, [event, event, { topic: "nope" }]);
      const { stored: appended } = await appendBatches(services.db(), [batch]);
      await services.stream().bus.publish(appended);
      await vi.waitFor(() => expect(received).toContain(id), { timeout: 5_000 });

      expect(await stored()).toBe(before.stored + 1);
      expect(
        await sumOf("stream_events_ingested_total", { topic: "user_events", outcome: "duplicate" }),
      ).toBe(before.duplicate + 1);
      expect(
        await sumOf("stream_events_ingested_total", { topic: "unknown", outcome: "rejected" }),
      ).toBe(before.rejected + 1);
      expect(await sumOf("stream_events_delivered_total", { transport: "sse" })).toBe(
        before.delivered + 1,
      );
      expect(await valueOf("stream_subscription_lag_events", { transport: "sse" })).toBe(0);
    } finally {
      subscription.close();
    }
    expect((await valueOf("stream_subscriptions", { transport: "sse" })) ?? 0).toBe(0);
  });
});

describe.each(redisBackends)("job queue metrics ($name)", (backend) => {
  const namespace = testNamespace();
  let cache: CacheServices;
  beforeAll(async () => {
    cache = await createCacheServices({ redisUrl: backend.url, namespace });
    registerQueueMetrics();
  });
  afterAll(async () => {
    await cache.close();
    if (backend.url) await deleteNamespace(backend.url, namespace);
  });

  it("shows a queue's depth and each run's duration and outcome", async () => {
    const queue = `metrics-${randomUUID()}`;
    const jobs = cache.createJobQueue<{ fail: boolean }>({ name: queue, attempts: 1 });
    await jobs.add({ fail: false });
    await jobs.add({ fail: true });
    expect(await valueOf("job_queue_depth", { queue, state: "waiting" })).toBe(2);

    jobs.process(async ({ data }) => {
      if (data.fail) throw new Error("this job fails");
    });
    await vi.waitFor(
      async () => expect(await sumOf("job_runs_total", { queue, outcome: "failed" })).toBe(1),
      { timeout: 10_000 },
    );
    await vi.waitFor(
      async () => expect(await sumOf("job_runs_total", { queue, outcome: "completed" })).toBe(1),
      { timeout: 10_000 },
    );
    const text = await metrics().registry.metrics();
    expect(text).toMatch(
      new RegExp(
        `job_duration_seconds_count\\{[^}]*queue="${queue}",outcome="completed"[^}]*\\} 1`,
      ),
    );
    expect(await valueOf("job_queue_depth", { queue, state: "waiting" })).toBe(0);

    await jobs.close();
    // A closed queue's series go away with it.
    expect(await valueOf("job_queue_depth", { queue, state: "waiting" })).toBeUndefined();
  });
});

describe.runIf(redisBackends.length > 1)("redis_up", () => {
  const pair = useFlakyRedisPair(redisBackends.at(-1)!.url!);

  it("is 1 while Redis answers, 0 while this instance is cut off, 1 again after", async () => {
    registerRedisMetrics(pair.flaky());
    expect(await valueOf("redis_up")).toBe(1);
    pair.proxy().cut();
    await vi.waitFor(async () => expect(await valueOf("redis_up")).toBe(0), { timeout: 5_000 });
    pair.proxy().restore();
    await vi.waitFor(async () => expect(await valueOf("redis_up")).toBe(1), { timeout: 15_000 });
  });

  it("lists no series without REDIS_URL (in-process by choice, not a fault)", async () => {
    registerRedisMetrics({});
    expect(await valueOf("redis_up")).toBeUndefined();
  });
});
