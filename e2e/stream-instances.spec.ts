import { expect, test } from "@playwright/test";
import WebSocket from "ws";

import { startDatabase } from "../server/db/database";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres";
import { createTestProducer } from "../server/testing/identity-fixtures";
import { startTcpProxy, throughProxy } from "../server/testing/tcp-proxy";
import { graphqlWsSubscriber, sseSubscriber, type Subscriber } from "./support/graphql-subscribers";
import { spawnLake } from "./support/spawn-lake";

// Two whole production processes on one PostgreSQL and one Redis, as a scaled-out deployment runs:
// a subscriber on one instance receives what producers send to the other, through the Redis bus;
// when Redis goes away mid-stream both keep serving, say "degraded", and the subscriber still
// receives every event (an instance's own at once, the other's from the log); when Redis comes
// back the bus carries them again. At the end the subscriber has had each event once, in order.
// GraphQL subscriptions ride the same bus: first (Redis up), subscribers on one instance receive
// the record changes made on the other, each only if they may read the record; and a GraphQL
// answer one instance cached is not served after the other wrote what it read.
test.describe.configure({ mode: "serial", retries: 0 });
test.skip(!process.env.REDIS_URL, "needs Redis (REDIS_URL): the bus between instances");

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

type Lake = Awaited<ReturnType<typeof spawnLake>>;
type Received = { offset: string; event: { id: string } };
type Producer = Awaited<ReturnType<typeof createTestProducer>>;

let lakes: Lake[] = [];
let redisProxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
let key = "";
/** Two more users who may read and write but are not admins: the GraphQL subscribers. */
let alice!: Producer;
let bob!: Producer;

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
    alice = await createTestProducer(db);
    bob = await createTestProducer(db);
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

/** A POST to one instance as `who`; its answer, which must have the status. */
async function post(lake: Lake, who: Producer, path: string, body: unknown, status: number) {
  const response = await fetch(lake.baseURL + path, {
    method: "POST",
    headers: { "x-api-key": who.key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, `POST ${path}: ${text}`).toBe(status);
  return JSON.parse(text) as Record<string, unknown>;
}

const RECORD_CHANGES = `subscription ($dataset: String!, $after: String) {
  recordChanges(dataset: $dataset, after: $after) { offset topic payload }
}`;

const CREATE_RECORD = `mutation ($userId: ID!, $data: UserDataInput!) {
  updateUserData(userId: $userId, data: $data) { changed { created { id } } }
}`;

type Change = {
  offset: string;
  topic: string;
  payload: { action: string; id: string; record: { n: number } };
};

/** What a subscriber received, readably: each change, or the errors in its place. */
const changesOf = (subscriber: Subscriber) =>
  subscriber.results.map((result) => {
    if (result.errors) return { errors: result.errors };
    const change = result.data!.recordChanges as Change;
    return {
      topic: change.topic,
      action: change.payload.action,
      id: change.payload.id,
      n: change.payload.record.n,
    };
  });

const offsetsOf = (subscriber: Subscriber) =>
  subscriber.results.map((result) => (result.data!.recordChanges as Change).offset);

test("GraphQL subscribers on one instance receive another's record changes, each only if theirs", async () => {
  test.setTimeout(60_000);
  const [a, b] = lakes as [Lake, Lake];
  expect([await readiness(a), await readiness(b)]).toEqual(["ok/up", "ok/up"]);
  // An owner_only dataset: its records reach their owner (and admins) only.
  const dataset = `gql_instances_${Date.now().toString(36)}`;
  await post(b, alice, "/api/v1/lake/datasets", { name: dataset, policy: "user_data" }, 201);

  // graphql-ws says nothing when a subscription is open, so the WebSocket subscribers resume
  // after an offset of the log taken before the first change (an event's, stored at once)
  // rather than racing "from now"; the SSE response is sent once its subscription is open.
  const stored = await post(
    b,
    alice,
    "/api/v1/lake/stream/events",
    {
      topic: "user_events",
      partition_key: dataset,
      event_time: new Date().toISOString(),
      payload: { marker: dataset },
    },
    201,
  );
  const after = (stored.acks as { offset: string }[])[0]!.offset;
  const variables = { dataset, after };
  const overWs = {
    alice: graphqlWsSubscriber(a.baseURL, alice.key, RECORD_CHANGES, variables),
    bob: graphqlWsSubscriber(a.baseURL, bob.key, RECORD_CHANGES, variables),
  };
  const overSse = await sseSubscriber(a.baseURL, alice.key, RECORD_CHANGES, { dataset });

  try {
    expect(overSse.status).toBe(200);
    // Made on B, one at a time: Alice's through REST, Bob's through the GraphQL mutation.
    const made: { owner: Producer; id: string; n: number }[] = [];
    for (const [owner, n] of [
      [alice, 1],
      [bob, 2],
      [alice, 3],
      [alice, 4],
      [bob, 5],
      [alice, 6],
    ] as const) {
      if (owner === alice) {
        const record = await post(b, owner, "/api/v1/lake/data", { dataset, payload: { n } }, 201);
        made.push({ owner, id: record.id as string, n });
      } else {
        const answer = await post(
          b,
          owner,
          "/api/v1/lake/graphql",
          {
            query: CREATE_RECORD,
            variables: {
              userId: owner.principal.userId,
              data: { create: [{ dataset, payload: { n } }] },
            },
          },
          200,
        );
        expect(answer.errors).toBeUndefined();
        const { created } = (
          answer.data as { updateUserData: { changed: { created: { id: string }[] } } }
        ).updateUserData.changed;
        made.push({ owner, id: created[0]!.id, n });
      }
    }
    const expected = (owner: Producer) =>
      made
        .filter((record) => record.owner === owner)
        .map(({ id, n }) => ({ topic: "records", action: "create", id, n }));

    const each = [
      ["Alice's graphql-ws subscription on A", overWs.alice, expected(alice)],
      ["Bob's graphql-ws subscription on A", overWs.bob, expected(bob)],
      ["Alice's SSE subscription on A", overSse, expected(alice)],
    ] as const;
    for (const [name, subscriber, changes] of each) {
      await expect
        .poll(() => changesOf(subscriber), {
          timeout: 15_000,
          message: `${name}: the changes made on B, its owner's only, in order`,
        })
        .toEqual(changes);
    }
    // Nothing came twice, late, or from someone else's records.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const [name, subscriber, changes] of each) {
      expect(changesOf(subscriber), name).toEqual(changes);
    }
    const offsets = offsetsOf(overWs.alice).map(BigInt);
    offsets.slice(1).forEach((offset, i) => expect(offset).toBeGreaterThan(offsets[i]!));
    expect(offsets[0]).toBeGreaterThan(BigInt(after));
    // The same events of the one log, whichever transport carried them.
    expect(offsetsOf(overSse)).toEqual(offsetsOf(overWs.alice));
  } finally {
    await Promise.all([overWs.alice.close(), overWs.bob.close(), overSse.close()]);
  }
});

test("a GraphQL answer cached on one instance is not served once the other has written", async () => {
  const [a, b] = lakes as [Lake, Lake];
  const dataset = `gql_cache_${Date.now().toString(36)}`;
  await post(b, alice, "/api/v1/lake/datasets", { name: dataset, policy: "user_data" }, 201);
  await post(b, alice, "/api/v1/lake/data", { dataset, payload: { n: 1 } }, 201);
  const query = `query ($dataset: String!) {
    records(dataset: $dataset, orderBy: "payload.n") { nodes { payload } } }`;
  const readOnA = async () => {
    const answer = await post(
      a,
      alice,
      "/api/v1/lake/graphql",
      { query, variables: { dataset } },
      200,
    );
    const { nodes } = (answer.data as { records: { nodes: { payload: { n: number } }[] } }).records;
    const { hit } = (answer.extensions as { responseCache: { hit: boolean } }).responseCache;
    return { n: nodes.map((node) => node.payload.n), hit };
  };
  expect(await readOnA()).toEqual({ n: [1], hit: false });
  expect(await readOnA()).toEqual({ n: [1], hit: true });
  // B marks the change on the clock both share before it answers: A's next read runs again.
  await post(b, alice, "/api/v1/lake/data", { dataset, payload: { n: 2 } }, 201);
  expect(await readOnA()).toEqual({ n: [1, 2], hit: false });
});

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
