import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";

import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { POST as createRecord } from "../doors/rest/routes/data";
import { POST as archive } from "../doors/rest/routes/data-archive";
import { DELETE as deleteRecord, PUT as replaceRecord } from "../doors/rest/routes/data-record";
import { GET as sse } from "../doors/rest/routes/stream";
import { POST as ingest } from "../doors/rest/routes/stream-events";
import { STREAM_PATH } from "../doors/websocket/stream-path";
import { SLOW_CONSUMER_CLOSE } from "../doors/websocket/stream-session";
import { upgradeRouter } from "../doors/websocket/upgrade";
import { createWsHub, type WsHub } from "../doors/websocket/ws-hub";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey, createTestProducer } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { invalidateDatasetMemo } from "../data/datasets/find-dataset";
import { selectLogBounds } from "./events/stream-events.queries";

type Json = Record<string, unknown>;
type EventView = { offset: string; id: string; topic: string; payload: Record<string, unknown> };
/** A lake.v1 message from the server. */
type Message = {
  type: string;
  id?: number | null;
  subscription?: string;
  after?: string;
  offset?: string;
  event?: EventView;
  error_code?: string;
  details?: { first_offset?: string };
};
type IngestAnswer = {
  acks: { index: number; event_id: string; offset: string; duplicate: boolean }[];
  errors: { index: number; details: { path: string; message: string }[] }[];
  error_code?: string;
};

let running: { server: Server; hub: WsHub } | undefined;
afterEach(async () => {
  if (!running) return;
  const { server, hub } = running;
  running = undefined;
  await hub.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function startHub() {
  const hub = createWsHub({
    trustProxy: false,
    limits: { perInstance: 100, perPrincipal: 20 },
    recheckMs: 3_600_000,
  });
  const server = createServer();
  server.on("upgrade", upgradeRouter({ [STREAM_PATH]: hub.handleUpgrade }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  running = { server, hub };
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}${STREAM_PATH}`;
}

type Client = {
  socket: WebSocket;
  messages: Message[];
  events: () => (Message & { offset: string; event: EventView })[];
  closed: Promise<number>;
  request: (message: Json) => Promise<Message>;
};

async function connect(url: string, key: string): Promise<Client> {
  const socket = new WebSocket(url, [], { headers: { "X-API-Key": key } });
  const messages: Message[] = [];
  socket.on("message", (data: Buffer) => messages.push(JSON.parse(data.toString()) as Message));
  const closed = new Promise<number>((resolve) => socket.once("close", resolve));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let next = 0;
  return {
    socket,
    messages,
    closed,
    events: () =>
      messages.filter(
        (m): m is Message & { offset: string; event: EventView } => m.type === "event",
      ),
    async request(message) {
      const id = ++next;
      socket.send(JSON.stringify({ ...message, id }));
      await expect.poll(() => messages.find((m) => m.id === id), { timeout: 10_000 }).toBeTruthy();
      return messages.find((m) => m.id === id)!;
    },
  };
}

const post = (key: string, body: unknown) =>
  ingest(
    new Request("http://lake.test/api/v1/lake/stream/events", {
      method: "POST",
      headers: { "x-api-key": key, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );

const event = (overrides: Json = {}): Json => ({
  id: randomUUID(),
  topic: "user_events",
  partition_key: "user-1",
  event_time: "2026-12-04T10:00:00.000Z",
  payload: { action: "click", n: 1 },
  ...overrides,
});

/** Reads server-sent events off a Response until `count` have come. */
async function readSse(response: Response, count: number) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const events: { id?: string; event?: string; data: EventView }[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    let end;
    while ((end = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const fields: Record<string, string> = Object.fromEntries(
        block
          .split("\n")
          .filter((line) => line && !line.startsWith(":"))
          .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
      );
      if (fields.data) {
        events.push({
          id: fields.id,
          event: fields.event,
          data: JSON.parse(fields.data) as EventView,
        });
      }
    }
  }
  await reader.cancel();
  return events;
}

describe.each(databaseBackends)("streams on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, stream } = useTestServices(backend, redisUrl);

  const producer = () => createTestProducer(db());

  it("stores a batch's valid events, reports the bad ones by index, and stores a retry once", async () => {
    const { key } = await producer();
    const good = [
      event(),
      event({
        topic: "system_metrics",
        partition_key: "2026-12-04T10:00:00Z",
        payload: { host: "a", name: "cpu", value: 0.5 },
      }),
    ];
    const batch = [
      good[0],
      event({ topic: "nope" }),
      event({ partition_key: undefined }),
      event({ event_time: undefined }),
      event({ topic: "system_metrics", payload: { host: "a", name: "cpu", value: "high" } }),
      good[1],
      good[0],
    ];
    const first = await post(key, { events: batch });
    expect(first.status).toBe(207);
    // The stream's own budget, not the data API's 1000 an hour.
    expect(first.headers.get("ratelimit-limit")).toBe("36000");
    const body = (await first.json()) as IngestAnswer;
    expect(body.acks.map((a) => a.index)).toEqual([0, 5, 6]);
    expect(body.acks[2]).toMatchObject({ offset: body.acks[0]!.offset, duplicate: true });
    expect(body.errors.map((e) => [e.index, e.details[0]!.path])).toEqual([
      [1, "topic"],
      [2, "partition_key"],
      [3, "event_time"],
      [4, "payload.value"],
    ]);
    expect(body.errors[0]!.details[0]!.message).toContain("Unknown topic");

    const retry = await post(key, { events: good });
    expect(retry.status).toBe(201);
    const again = (await retry.json()) as IngestAnswer;
    expect(again.acks.map((a) => [a.offset, a.duplicate])).toEqual([
      [body.acks[0]!.offset, true],
      [body.acks[1]!.offset, true],
    ]);
    const stored = await db().prisma.streamEvent.count({
      where: { eventId: { in: good.map((g) => g.id as string) } },
    });
    expect(stored).toBe(2);

    // Stored and new events interleaved: each is acknowledged with the offset the log gave it.
    const fresh = [event(), event()];
    const mixed = await post(key, { events: [fresh[0], good[1], fresh[1], good[0]] });
    const mixedAcks = ((await mixed.json()) as IngestAnswer).acks;
    expect(mixedAcks.map((a) => a.duplicate)).toEqual([false, true, false, true]);
    expect([mixedAcks[1]!.offset, mixedAcks[3]!.offset]).toEqual([
      body.acks[1]!.offset,
      body.acks[0]!.offset,
    ]);
    const logged = await db().prisma.streamEvent.findMany({
      where: { eventId: { in: fresh.map((f) => f.id as string) } },
      orderBy: { offset: "asc" },
    });
    expect(logged.map((row) => [row.eventId, row.offset.toString()])).toEqual([
      [fresh[0]!.id, mixedAcks[0]!.offset],
      [fresh[1]!.id, mixedAcks[2]!.offset],
    ]);
    expect(BigInt(mixedAcks[2]!.offset)).toBe(BigInt(mixedAcks[0]!.offset) + 1n);
  });

  it("refuses a batch with nothing valid, a reader, and bad bodies in the envelope", async () => {
    const { key } = await producer();
    const none = await post(key, event({ topic: "records" }));
    expect(none.status).toBe(400);
    expect(((await none.json()) as IngestAnswer).error_code).toBe("validation_failed");
    expect((await post(key, "{not json")).status).toBe(400);
    expect((await post(key, { events: [] })).status).toBe(400);
    const reader = await createTestKey(db(), "reader", ["read"]);
    expect((await post(reader.key, event())).status).toBe(403);
  });

  it("delivers each event only to subscribers who may read it, with filters", async () => {
    const url = await startHub();
    const [alice, bob] = [await producer(), await producer()];
    const admin = await createTestKey(db(), "admin", ["read", "write"]);
    const clients = await Promise.all([alice, bob, admin].map((who) => connect(url, who.key)));
    for (const client of clients) {
      const answer = await client.request({
        type: "subscribe",
        topics: ["user_events", "system_metrics"],
      });
      expect(answer).toMatchObject({ type: "subscribed", subscription: "s1" });
    }
    const filtered = await connect(url, bob.key);
    await filtered.request({
      type: "subscribe",
      topics: ["system_metrics"],
      filter: { "payload.value": "gt.0.9" },
    });

    await post(alice.key, event({ payload: { who: "alice" } }));
    await post(bob.key, event({ payload: { who: "bob" } }));
    await post(
      alice.key,
      event({ topic: "system_metrics", payload: { host: "h", name: "cpu", value: 0.95 } }),
    );
    await post(
      alice.key,
      event({ topic: "system_metrics", payload: { host: "h", name: "cpu", value: 0.2 } }),
    );

    const [a, b, root] = clients;
    await expect.poll(() => root!.events().length).toBe(4);
    await expect.poll(() => a!.events().length).toBe(3);
    await expect.poll(() => b!.events().length).toBe(3);
    await expect.poll(() => filtered.events().length).toBe(1);
    const who = (client: Client) =>
      client.events().map((m) => m.event.payload.who ?? m.event.payload.value);
    expect(who(a!)).toEqual(["alice", 0.95, 0.2]);
    expect(who(b!)).toEqual(["bob", 0.95, 0.2]);
    expect(who(filtered)).toEqual([0.95]);
    // Offsets rise and each message carries its own.
    const offsets = root!.events().map((m) => BigInt(m.offset));
    expect([...offsets].sort((x, y) => (x < y ? -1 : 1))).toEqual(offsets);
    for (const client of [...clients, filtered]) client.socket.close();
  });

  it("resumes after the last offset with no gap and no duplicate, and says when it cannot", async () => {
    const url = await startHub();
    const { key } = await producer();
    const first = await connect(url, key);
    await first.request({ type: "subscribe", topics: ["user_events"] });
    for (let i = 0; i < 3; i++) await post(key, event({ payload: { i } }));
    await expect.poll(() => first.events().length).toBe(3);
    const last = first.events().at(-1)!.offset;
    first.socket.terminate();

    const missed = await post(key, {
      events: Array.from({ length: 700 }, (_, i) => event({ payload: { i: 3 + i } })),
    });
    expect(missed.status).toBe(201);
    const second = await connect(url, key);
    const answer = await second.request({
      type: "subscribe",
      topics: ["user_events"],
      after: last,
    });
    expect(answer).toMatchObject({ type: "subscribed", after: last });
    await post(key, event({ payload: { i: 703 } }));
    await expect.poll(() => second.events().length, { timeout: 15_000 }).toBe(701);
    expect(second.events().map((m) => m.event.payload.i)).toEqual(
      Array.from({ length: 701 }, (_, i) => 3 + i),
    );

    const head = second.events().at(-1)!.offset;
    const unknown = await second.request({
      type: "subscribe",
      topics: ["user_events"],
      after: String(BigInt(head) + 1000n),
    });
    expect(unknown).toMatchObject({ type: "error", error_code: "offset_unknown" });
    await db().prisma.streamEvent.deleteMany({ where: { offset: { lte: BigInt(last) } } });
    const expired = await second.request({
      type: "subscribe",
      topics: ["user_events"],
      after: "0",
    });
    expect(expired).toMatchObject({ type: "error", error_code: "offset_expired" });
    expect(BigInt(expired.details!.first_offset!)).toBeGreaterThan(BigInt(last));
    second.socket.close();
  });

  it("serves server-sent events that resume from Last-Event-ID", async () => {
    const { key } = await producer();
    const open = (headers: Record<string, string> = {}, query = "topics=user_events") =>
      sse(
        new Request(`http://lake.test${STREAM_PATH}?${query}`, {
          headers: { "x-api-key": key, accept: "text/event-stream", ...headers },
        }),
      );
    const live = await open();
    expect(live.headers.get("content-type")).toContain("text/event-stream");
    const sent = (await (
      await post(key, { events: [event({ payload: { i: 1 } }), event({ payload: { i: 2 } })] })
    ).json()) as IngestAnswer;
    const got = await readSse(live, 2);
    expect(got.map((e) => [e.id, e.event, e.data.payload.i])).toEqual([
      [sent.acks[0]!.offset, "user_events", 1],
      [sent.acks[1]!.offset, "user_events", 2],
    ]);
    const resumed = await open({ "last-event-id": sent.acks[0]!.offset });
    expect((await readSse(resumed, 1)).map((e) => e.data.payload.i)).toEqual([2]);

    expect((await open({}, "topics=weather")).status).toBe(400);
    expect((await open({}, "topics=records")).status).toBe(400);
    const noAccept = await sse(
      new Request(`http://lake.test${STREAM_PATH}?topics=user_events`, {
        headers: { "x-api-key": key },
      }),
    );
    expect(noAccept.status).toBe(400);
  });

  it("closes a consumer that falls too far behind with 4008", async () => {
    const url = await startHub();
    const { key } = await producer();
    const client = await connect(url, key);
    await client.request({ type: "subscribe", topics: ["user_events"] });
    const services = stream();
    const limit = services.sendBufferBytes;
    services.sendBufferBytes = 64 * 1024;
    try {
      // The client stops reading: its socket buffers fill, then the server's send buffer.
      (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      const big = "x".repeat(200_000);
      for (let i = 0; i < 5; i++) {
        await post(key, { events: Array.from({ length: 20 }, () => event({ payload: { big } })) });
      }
      (client.socket as unknown as { _socket: { resume(): void } })._socket.resume();
      expect(await client.closed).toBe(SLOW_CONSUMER_CLOSE);
    } finally {
      services.sendBufferBytes = limit;
    }
  });

  it("streams record changes to the dataset's subscribers who may read each record", async () => {
    const url = await startHub();
    const [alice, bob] = [await producer(), await producer()];
    const admin = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    const ownerOnly = await db().prisma.dataset.create({
      data: {
        name: `private-${randomUUID()}`,
        ownerId: admin.principal.userId,
        policy: "user_data",
      },
    });
    const call = (
      handler: typeof createRecord,
      method: string,
      path: string,
      key: string,
      body?: unknown,
      id?: string,
    ) =>
      handler(
        new Request(`http://lake.test${path}`, {
          method,
          headers: { "x-api-key": key, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        { params: Promise.resolve(id ? { id } : {}) },
      );
    const clients = await Promise.all([alice, bob, admin].map((who) => connect(url, who.key)));
    for (const client of clients) {
      await client.request({ type: "subscribe", topics: ["records"], dataset: ownerOnly.name });
    }
    const filtered = await connect(url, admin.key);
    await filtered.request({
      type: "subscribe",
      topics: ["records"],
      dataset: ownerOnly.id,
      filter: { "payload.record.status": "eq.open" },
    });

    const created = await call(createRecord, "POST", "/api/v1/lake/data", alice.key, {
      dataset: ownerOnly.name,
      payload: { status: "open" },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await call(createRecord, "POST", "/api/v1/lake/data", bob.key, {
      dataset: ownerOnly.name,
      payload: { status: "closed" },
    });
    await call(
      replaceRecord,
      "PUT",
      `/api/v1/lake/data/${id}`,
      alice.key,
      { payload: { status: "closed" } },
      id,
    );
    await call(archive, "POST", "/api/v1/lake/data/archive", admin.key, {
      dataset: ownerOnly.id,
      ids: [id],
    });
    await call(deleteRecord, "DELETE", `/api/v1/lake/data/${id}`, admin.key, undefined, id);

    const [a, b, root] = clients;
    const actions = (client: Client) =>
      client
        .events()
        .map((m) => `${String(m.event.payload.action)}:${m.event.payload.id === id ? "a" : "b"}`);
    await expect
      .poll(() => actions(root!), { timeout: 10_000 })
      .toEqual(["create:a", "create:b", "update:a", "archive:a", "delete:a"]);
    await expect.poll(() => actions(a!)).toEqual(["create:a", "update:a", "archive:a", "delete:a"]);
    expect(actions(b!)).toEqual(["create:b"]);
    expect(actions(filtered)).toEqual(["create:a"]);
    expect(root!.events()[0]!.event.payload).toEqual({
      action: "create",
      id,
      record: { status: "open" },
    });

    const missing = await clients[0]!.request({
      type: "subscribe",
      topics: ["records"],
      dataset: "no-such-dataset",
    });
    expect(missing).toMatchObject({ type: "error", error_code: "not_found" });
    const withoutDataset = await clients[0]!.request({ type: "subscribe", topics: ["records"] });
    expect(withoutDataset).toMatchObject({ type: "error", error_code: "validation_failed" });
    for (const client of [...clients, filtered]) client.socket.close();
  });

  it("hides a record's older events once its dataset is owner-only", async () => {
    const url = await startHub();
    const [alice, bob] = [await producer(), await producer()];
    const admin = await createTestKey(db(), "admin", ["read", "write"]);
    const shared = await db().prisma.dataset.create({
      data: {
        name: `shared-${randomUUID()}`,
        ownerId: admin.principal.userId,
        policy: "analytics",
      },
    });
    const { head } = await selectLogBounds(db());
    const created = await createRecord(
      new Request("http://lake.test/api/v1/lake/data", {
        method: "POST",
        headers: { "x-api-key": alice.key, "content-type": "application/json" },
        body: JSON.stringify({ dataset: shared.name, payload: { secret: 1 } }),
      }),
    );
    expect(created.status).toBe(201);
    // Wait until the change is in the log, then make the dataset owner-only.
    await expect.poll(async () => (await selectLogBounds(db())).head).not.toBe(head);
    await db().prisma.dataset.update({ where: { id: shared.id }, data: { policy: "user_data" } });
    await invalidateDatasetMemo();

    const [a, b] = await Promise.all([alice, bob].map((who) => connect(url, who.key)));
    for (const client of [a!, b!]) {
      await client.request({
        type: "subscribe",
        topics: ["records"],
        dataset: shared.id,
        after: head,
      });
    }
    await expect.poll(() => a!.events().length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(b!.events()).toEqual([]);
    a!.socket.close();
    b!.socket.close();
  });
});
