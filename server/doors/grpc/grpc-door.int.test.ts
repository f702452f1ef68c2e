import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  credentials as clientCredentials,
  loadPackageDefinition,
  makeGenericClientConstructor,
  Metadata,
  status,
  type ChannelCredentials,
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  type GrpcObject,
  type ServiceClientConstructor,
  type ServiceError,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";

import { streamPackageDefinition } from "../../stream/contracts/stream-proto";
import { databaseBackends, redisBackends } from "../../testing/backends";
import { createTestKey, createTestProducer } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { startGrpcDoor, type GrpcConfig, type GrpcDoor } from "./grpc-server";
import { retryDelayOf } from "./grpc-status";

type Ack = {
  batchId: string;
  acks: { index: number; eventId: string; offset: string; duplicate: boolean }[];
  errors: { index: number; errorCode: string; message: string }[];
};
type StreamMessage = { offset: string; event: { id: string; topic: string; json?: unknown } };
type StreamClient = Client & {
  Ingest(metadata: Metadata): ClientDuplexStream<unknown, Ack>;
  WriteTimeSeries(
    request: unknown,
    metadata: Metadata,
    callback: (error: ServiceError | null, response?: { written: number }) => void,
  ): void;
  Subscribe(request: unknown, metadata: Metadata): ClientReadableStream<StreamMessage>;
};

const pkg = (definition: Parameters<typeof loadPackageDefinition>[0], name: string) =>
  name
    .split(".")
    .reduce<GrpcObject>(
      (node, part) => node[part] as GrpcObject,
      loadPackageDefinition(definition),
    ) as unknown as ServiceClientConstructor;
const StreamService = pkg(streamPackageDefinition(), "datapunk.stream.v1.StreamService");
const Health = pkg(loadSync(healthProtoPath, { enums: String }), "grpc.health.v1.Health");

const BASE: GrpcConfig = { LAKE_GRPC_PORT: 0, LAKE_GRPC_HOST: "127.0.0.1" };
const doors: GrpcDoor[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const door of doors.splice(0)) await door.close();
});

async function start(
  config: Partial<GrpcConfig> = {},
  credentials = clientCredentials.createInsecure(),
  options = {},
) {
  const door = await startGrpcDoor({ ...BASE, ...config });
  doors.push(door);
  const client = new StreamService(
    `localhost:${door.port}`,
    credentials,
    options,
  ) as unknown as StreamClient;
  clients.push(client);
  return { door, client };
}

const withKey = (key: string) => {
  const metadata = new Metadata();
  metadata.set("x-api-key", key);
  return metadata;
};

const seconds = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });
const event = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  topic: "user_events",
  partitionKey: "user-1",
  eventTime: seconds("2026-12-04T10:00:00Z"),
  json: { fields: { action: { stringValue: "click" }, n: { numberValue: 1 } } },
  ...overrides,
});

/** Sends batches on one Ingest call and collects the acks until the server ends it. */
function ingest(client: StreamClient, key: string, batches: unknown[]) {
  return new Promise<{ acks: Ack[]; error?: ServiceError }>((resolve) => {
    const call = client.Ingest(withKey(key));
    const acks: Ack[] = [];
    call.on("data", (ack: Ack) => acks.push(ack));
    call.on("error", (error: ServiceError) => resolve({ acks, error }));
    call.on("end", () => resolve({ acks }));
    for (const batch of batches) call.write(batch);
    call.end();
  });
}

describe.each(databaseBackends)("the gRPC door on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  const producer = async (rateLimitPerHour?: number) =>
    (await createTestProducer(db(), { rateLimitPerHour })).key;

  it("acknowledges batches in order with offsets, reports bad events by index and stores a retry once", async () => {
    const { client } = await start();
    const key = await producer();
    const good = event();
    const metric = event({
      topic: "system_metrics",
      partitionKey: "2026-12-04T10:00:00Z",
      json: undefined,
      systemMetric: { host: "db-1", name: "cpu", value: 0.93, labels: { dc: "eu" } },
    });
    const first = await ingest(client, key, [
      {
        batchId: "b1",
        events: [
          good,
          event({ topic: "weather" }),
          event({ partitionKey: "" }),
          event({ eventTime: null }),
        ],
      },
      { batchId: "b2", events: [metric] },
    ]);
    expect(first.error).toBeUndefined();
    expect(first.acks.map((a) => a.batchId)).toEqual(["b1", "b2"]);
    expect(first.acks[0]!.acks.map((a) => [a.index, a.eventId, a.duplicate])).toEqual([
      [0, good.id, false],
    ]);
    expect(first.acks[0]!.errors.map((e) => [e.index, e.errorCode])).toEqual([
      [1, "validation_failed"],
      [2, "validation_failed"],
      [3, "validation_failed"],
    ]);
    expect(first.acks[0]!.errors[1]!.message).toContain("partition_key");
    expect(BigInt(first.acks[1]!.acks[0]!.offset)).toBeGreaterThan(
      BigInt(first.acks[0]!.acks[0]!.offset),
    );

    const retry = await ingest(client, key, [{ batchId: "b1-again", events: [good, metric] }]);
    expect(retry.acks[0]!.acks.map((a) => [a.offset, a.duplicate])).toEqual([
      [first.acks[0]!.acks[0]!.offset, true],
      [first.acks[1]!.acks[0]!.offset, true],
    ]);
    const stored = await db().prisma.streamEvent.findMany({
      where: { eventId: { in: [good.id, metric.id] } },
    });
    expect(stored).toHaveLength(2);
    expect(stored.find((e) => e.topic === "system_metrics")!.payload).toEqual({
      host: "db-1",
      name: "cpu",
      value: 0.93,
      labels: { dc: "eu" },
    });
  });

  it("appends batches that queued up together, in order, storing an id repeated across them once", async () => {
    const { client } = await start();
    const key = await producer();
    const batches = Array.from({ length: 6 }, (_, b) => ({
      batchId: `g${b}`,
      events: Array.from({ length: 100 }, () => event()),
    }));
    const repeated = batches[1]!.events[7]!;
    batches[4]!.events[3] = repeated;
    const { acks, error } = await ingest(client, key, batches);
    expect(error).toBeUndefined();
    expect(acks.map((ack) => ack.batchId)).toEqual(batches.map((batch) => batch.batchId));
    const offsets = acks.flatMap((ack) =>
      ack.acks.filter((a) => !a.duplicate).map((a) => a.offset),
    );
    expect(offsets).toHaveLength(599);
    offsets
      .slice(1)
      .forEach((offset, i) => expect(BigInt(offset)).toBeGreaterThan(BigInt(offsets[i]!)));
    expect(acks[4]!.acks[3]).toMatchObject({
      eventId: repeated.id,
      duplicate: true,
      offset: acks[1]!.acks[7]!.offset,
    });
    const ids = batches.flatMap((batch) => batch.events.map((e) => e.id));
    expect(await db().prisma.streamEvent.count({ where: { eventId: { in: ids } } })).toBe(599);
  });

  it("maps refusals to gRPC statuses with the envelope's code", async () => {
    const { client } = await start();
    const none = await ingest(client, "", [{ batchId: "x", events: [event()] }]);
    expect(none.error?.code).toBe(status.UNAUTHENTICATED);
    const reader = await createTestKey(db(), "reader", ["read"]);
    const denied = await ingest(client, reader.key, [{ batchId: "x", events: [event()] }]);
    expect(denied.error?.code).toBe(status.PERMISSION_DENIED);
    expect(denied.error?.metadata.get("error_code")).toEqual(["forbidden"]);

    const limited = await producer(1);
    const spent = await ingest(client, limited, [
      { batchId: "1", events: [event()] },
      { batchId: "2", events: [event()] },
    ]);
    expect(spent.acks).toHaveLength(1);
    expect(spent.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(retryDelayOf(spent.error!.metadata)).toBeGreaterThan(0);
  });

  it("answers bytes that are not protobuf with INVALID_ARGUMENT on every method, storing nothing after them", async () => {
    const { door } = await start();
    const key = await producer();
    const methods = StreamService.service;
    // A client that sends raw bytes: a length-delimited field announcing 5 bytes and carrying 1.
    const Raw = makeGenericClientConstructor(
      Object.fromEntries(
        Object.entries(methods).map(([name, method]) => [
          name,
          { ...method, requestSerialize: (bytes: Buffer) => bytes },
        ]),
      ),
      "RawStreamService",
    );
    const raw = new Raw(`localhost:${door.port}`, clientCredentials.createInsecure()) as Client &
      Record<string, (...args: unknown[]) => ClientDuplexStream<Buffer, Ack>>;
    clients.push(raw);
    const garbage = Buffer.from([0x12, 0x05, 0x01]);

    const good = event();
    const after = event();
    const acks: Ack[] = [];
    const ingestError = await new Promise<ServiceError>((resolve) => {
      const call = raw.Ingest!(withKey(key));
      call.on("data", (ack: Ack) => acks.push(ack));
      call.on("error", resolve);
      call.write(methods.Ingest!.requestSerialize({ batchId: "ok", events: [good] }));
      call.write(garbage);
      call.write(methods.Ingest!.requestSerialize({ batchId: "late", events: [after] }));
      call.end();
    });
    expect(ingestError.code).toBe(status.INVALID_ARGUMENT);
    expect(ingestError.details).toContain("not valid protobuf");
    expect(acks.map((ack) => ack.batchId)).toEqual(["ok"]);
    const stored = await db().prisma.streamEvent.findMany({
      where: { eventId: { in: [good.id, after.id] } },
    });
    expect(stored.map((row) => row.eventId)).toEqual([good.id]);

    const unary = await new Promise<ServiceError | null>((resolve) =>
      (raw.WriteTimeSeries as unknown as StreamClient["WriteTimeSeries"])(
        garbage,
        withKey(key),
        (error) => resolve(error),
      ),
    );
    expect(unary?.code).toBe(status.INVALID_ARGUMENT);
    const subscribe = (raw.Subscribe as unknown as StreamClient["Subscribe"])(
      garbage,
      withKey(key),
    );
    const subscribeError = await new Promise<ServiceError>((resolve) =>
      subscribe.on("error", resolve),
    );
    expect(subscribeError.code).toBe(status.INVALID_ARGUMENT);
  });

  it("writes the stream processor's time series points, all or nothing", async () => {
    const { client } = await start();
    const key = await producer();
    const write = (points: unknown[]) =>
      new Promise<{ error: ServiceError | null; written?: number }>((resolve) =>
        client.WriteTimeSeries({ points }, withKey(key), (error, response) =>
          resolve({ error, written: response?.written }),
        ),
      );
    const series = `cpu-${randomUUID()}`;
    const point = {
      series,
      timestamp: seconds("2026-12-04T10:05:00Z"),
      value: 0.5,
      tags: { window: "5m" },
    };
    expect(await write([point, { ...point, value: 0.7 }])).toEqual({ error: null, written: 2 });
    const bad = await write([point, { ...point, series: "" }]);
    expect(bad.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(await db().prisma.timeSeriesPoint.count({ where: { series } })).toBe(2);
  });

  it("streams a subscriber the events it may read, from an offset", async () => {
    const { client } = await start();
    const [alice, bob] = [await producer(), await producer()];
    const before = await ingest(client, alice, [{ batchId: "a", events: [event()] }]);
    const from = before.acks[0]!.acks[0]!.offset;
    await ingest(client, bob, [{ batchId: "b", events: [event({ id: "bob-1" })] }]);
    await ingest(client, alice, [{ batchId: "c", events: [event({ id: `alice-${from}` })] }]);

    const call = client.Subscribe({ topics: ["user_events"], fromOffset: from }, withKey(alice));
    const received: StreamMessage[] = [];
    call.on("data", (message: StreamMessage) => received.push(message));
    call.on("error", () => {});
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]!.event.id).toBe(`alice-${from}`);
    expect(BigInt(received[0]!.offset)).toBeGreaterThan(BigInt(from));
    call.cancel();

    const unknown = client.Subscribe(
      { topics: ["user_events"], fromOffset: "999999999999" },
      withKey(alice),
    );
    const error = await new Promise<ServiceError>((resolve) => unknown.on("error", resolve));
    expect(error.code).toBe(status.OUT_OF_RANGE);
  });

  it("answers the standard health check", async () => {
    const { door } = await start();
    const health = new Health(`127.0.0.1:${door.port}`, clientCredentials.createInsecure());
    clients.push(health);
    const check = (service: string) =>
      new Promise<unknown>((resolve, reject) =>
        (
          health as unknown as {
            Check(r: unknown, cb: (e: Error | null, r: unknown) => void): void;
          }
        ).Check({ service }, (error, response) => (error ? reject(error) : resolve(response))),
      );
    expect(await check("datapunk.stream.v1.StreamService")).toEqual({ status: "SERVING" });
  });
});

describe("the gRPC door's TLS", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "lake-grpc-tls-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  // A CA, a server certificate for localhost/127.0.0.1 and a client certificate, all signed by it.
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=lake-test-ca",
    "-keyout",
    file("ca.key"),
    "-out",
    file("ca.crt"),
  );
  for (const [name, cn] of [
    ["server", "localhost"],
    ["client", "stream-service"],
  ] as const) {
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      `/CN=${cn}`,
      "-keyout",
      file(`${name}.key`),
      "-out",
      file(`${name}.csr`),
    );
    writeFileSync(
      file(`${name}.ext`),
      name === "server"
        ? "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
        : "extendedKeyUsage=clientAuth\n",
    );
    openssl(
      "x509",
      "-req",
      "-in",
      file(`${name}.csr`),
      "-CA",
      file("ca.crt"),
      "-CAkey",
      file("ca.key"),
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      file(`${name}.ext`),
      "-out",
      file(`${name}.crt`),
    );
  }
  const read = (name: string) => readFileSync(file(name));
  const tls = { LAKE_GRPC_TLS_CERT: file("server.crt"), LAKE_GRPC_TLS_KEY: file("server.key") };
  const healthy = (port: number, credentials: ChannelCredentials) =>
    new Promise<string>((resolve) => {
      const health = new Health(`localhost:${port}`, credentials);
      clients.push(health);
      (
        health as unknown as {
          Check(
            r: unknown,
            o: unknown,
            cb: (e: ServiceError | null, r?: { status: string }) => void,
          ): void;
        }
      ).Check({ service: "" }, { deadline: Date.now() + 5000 }, (error, response) =>
        resolve(error ? `error ${error.code}` : response!.status),
      );
    });
  afterAll(() => undefined);

  it("serves TLS with a certificate, and refuses a client that does not trust it", async () => {
    const door = await startGrpcDoor({ ...BASE, ...tls });
    doors.push(door);
    expect(door.tls).toBe("tls");
    expect(await healthy(door.port, clientCredentials.createSsl(read("ca.crt")))).toBe("SERVING");
    expect(await healthy(door.port, clientCredentials.createSsl())).toBe(
      `error ${status.UNAVAILABLE}`,
    );
    expect(await healthy(door.port, clientCredentials.createInsecure())).toMatch(/^error /);
  });

  it("requires a client certificate signed by the client CA for mutual TLS", async () => {
    const door = await startGrpcDoor({ ...BASE, ...tls, LAKE_GRPC_TLS_CLIENT_CA: file("ca.crt") });
    doors.push(door);
    expect(door.tls).toBe("mtls");
    const mutual = clientCredentials.createSsl(
      read("ca.crt"),
      read("client.key"),
      read("client.crt"),
    );
    expect(await healthy(door.port, mutual)).toBe("SERVING");
    expect(await healthy(door.port, clientCredentials.createSsl(read("ca.crt")))).toMatch(
      /^error /,
    );
  });

  it("refuses half a TLS configuration at start", async () => {
    await expect(
      startGrpcDoor({ ...BASE, LAKE_GRPC_TLS_CERT: file("server.crt") }),
    ).rejects.toThrow(/together/);
  });
});
