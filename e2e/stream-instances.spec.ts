import { expect, test } from "@playwright/test";
import WebSocket from "ws";

import { startDatabase } from "../server/db/database";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres";
import { createTestProducer } from "../server/testing/identity-fixtures";
import { startTcpProxy, throughProxy } from "../server/testing/tcp-proxy";
import { spawnLake } from "./support/spawn-lake";

// Two whole production processes on one PostgreSQL and one Redis, as a scaled-out deployment runs:
// a subscriber on one instance receives what producers send to the other, through the Redis bus;
// when Redis goes away mid-stream both keep serving, say "degraded", and the subscriber still
// receives every event (an instance's own at once, the other's from the log); when Redis comes
// back the bus carries them again. At the end the subscriber has had each event once, in order.
test.describe.configure({ mode: "serial", retries: 0 });
test.skip(!process.env.REDIS_URL, "needs Redis (REDIS_URL): the bus between instances");

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

type Lake = Awaited<ReturnType<typeof spawnLake>>;
type Received = { offset: string; event: { id: string } };

let lakes: Lake[] = [];
let redisProxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
let key = "";

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // One database both instances share: the suite's PostgreSQL, or an embedded one over TCP.
  embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const redis = new URL(process.env.REDIS_URL!);
  redisProxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: throughProxy(redis.toString(), redisProxy.port),
    LAKE_REDIS_PREFIX: `lake-e2e-instances-${Date.now()}:`,
  };
  // faults.spec.ts takes E2E_PORT+1..3, imports +4, vectors +5, live +6.
  lakes = await Promise.all([spawnLake(env, E2E_PORT + 7), spawnLake(env, E2E_PORT + 8)]);
  const db = await startDatabase({ url: databaseUrl, poolSize: 2 });
  try {
    key = (await createTestProducer(db)).key;
  } finally {
    await db.close();
  }
});

test.afterAll(async () => {
  await Promise.all(lakes.map((lake) => lake.stop()));
  await redisProxy?.close();
  await embedded?.close();
});

async function readiness(lake: Lake) {
  const response = await fetch(`${lake.baseURL}/ready`);
  const report = (await response.json()) as {
    status: string;
    checks: { redis: { status: string } };
  };
  return `${report.status}/${report.checks.redis.status}`;
}

/** user_events of the test's producer: only it (and admins) may receive them. */
async function produce(lake: Lake, ids: string[]) {
  const response = await fetch(`${lake.baseURL}/api/v1/lake/stream/events`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify({
      events: ids.map((id) => ({
        id,
        topic: "user_events",
        partition_key: id,
        event_time: new Date().toISOString(),
        payload: { id },
      })),
    }),
  });
  expect(response.status, await response.text()).toBe(201);
}

async function subscribe(lake: Lake) {
  const socket = new WebSocket(
    lake.baseURL.replace("http", "ws") + "/api/v1/lake/stream",
    "lake.v1",
    {
      headers: { "x-api-key": key },
    },
  );
  const received: Received[] = [];
  const answers: { type: string; id?: number }[] = [];
  socket.on("message", (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { type: string; id?: number } & Received;
    if (message.type === "event") received.push(message);
    else answers.push(message);
  });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  socket.send(JSON.stringify({ type: "subscribe", id: 1, topics: ["user_events"] }));
  await expect.poll(() => answers.find((m) => m.id === 1)?.type).toBe("subscribed");
  return { socket, received };
}

test("a subscriber on one instance receives another's events, through a Redis outage, once and in order", async () => {
  test.setTimeout(120_000);
  const [a, b] = lakes as [Lake, Lake];
  const run = Date.now().toString(36);
  const ids = (step: string, count: number) =>
    Array.from({ length: count }, (_, i) => `${run}-${step}-${i}`);
  const { socket, received } = await subscribe(a);
  const receivedIds = () => received.map((message) => message.event.id);
  const sent: string[] = [];
  const send = async (lake: Lake, step: string) => {
    const batch = ids(step, 20);
    await produce(lake, batch);
    sent.push(...batch);
  };

  try {
    await test.step("Redis up: events sent to B reach A's subscriber", async () => {
      expect([await readiness(a), await readiness(b)]).toEqual(["ok/up", "ok/up"]);
      await send(b, "bus");
      await expect.poll(receivedIds, { timeout: 10_000 }).toEqual(sent);
    });

    await test.step("Redis cut mid-stream: both degraded; A's own and B's events still arrive", async () => {
      redisProxy!.cut();
      await expect
        .poll(async () => [await readiness(a), await readiness(b)], { timeout: 15_000 })
        .toEqual(["degraded/down", "degraded/down"]);
      await send(a, "local");
      await send(b, "log");
      await expect.poll(receivedIds, { timeout: 15_000 }).toEqual(sent);
    });

    await test.step("Redis back: the bus carries B's events to A again", async () => {
      redisProxy!.restore();
      await expect
        .poll(async () => [await readiness(a), await readiness(b)], { timeout: 30_000 })
        .toEqual(["ok/up", "ok/up"]);
      await send(b, "restored");
      await expect.poll(receivedIds, { timeout: 10_000 }).toEqual(sent);
    });

    const offsets = received.map((message) => BigInt(message.offset));
    offsets.slice(1).forEach((offset, i) => expect(offset).toBeGreaterThan(offsets[i]!));
    // Nothing came twice, late, or from elsewhere.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receivedIds()).toEqual(sent);
  } finally {
    socket.close();
  }
});
