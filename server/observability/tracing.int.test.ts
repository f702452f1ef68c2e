import { randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  credentials,
  loadPackageDefinition,
  Metadata,
  Server,
  ServerCredentials,
  type Client,
  type ClientDuplexStream,
  type GrpcObject,
  type ServiceClientConstructor,
  type ServiceError,
} from "@grpc/grpc-js";

import { startGrpcDoor } from "../doors/grpc/grpc-server";
import { apiRoute } from "../doors/rest/api-route";
import { POST as createRecords } from "../doors/rest/routes/data";
import { GET as getRecord } from "../doors/rest/routes/data-record";
import { GET as trpcGet } from "../doors/trpc/fetch-handler";
import { toGraphQLError } from "../doors/graphql/graphql-errors";
import { AppError } from "../errors/app-error";
import { databaseBackends, redisBackends } from "../testing/backends";
import { streamPackageDefinition } from "../stream/contracts/stream-proto";
import {
  createStreamProcessorClient,
  streamProcessorClientClass,
} from "../stream/forwarder/stream-processor-client";
import {
  createTestKey,
  createTestProducer,
  createTestUser,
  sessionCookie,
} from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { tracedFetch } from "./outbound-spans";
import { withRequestSpan } from "./request-span";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "./testing/otlp-receiver";
import { traceFields } from "./trace-context";
import { startTracing, type Tracing } from "./tracing";

const SERVICE = "lake-tracing-test";
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

// One SDK for the file, exporting to a real OTLP/HTTP receiver on a local port, every trace kept.
let receiver: OtlpReceiver;
let tracing: Tracing;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  tracing = await startTracing({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_SERVICE_NAME: SERVICE,
    OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
    OTEL_TRACES_SAMPLER_ARG: 1,
  });
});
afterAll(async () => {
  await tracing.shutdown();
  await receiver.close();
});

/** A caller's W3C trace context: a fresh trace id and the caller's span id, sampled. */
function callerContext() {
  const traceId = randomBytes(16).toString("hex");
  const spanId = randomBytes(8).toString("hex");
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/** The spans of one trace, once exported; fails when the receiver did not get them. */
async function exportedTrace(traceId: string): Promise<ReceivedSpan[]> {
  await tracing.flush();
  const spans = receiver.trace(traceId);
  expect(spans.length, `spans of trace ${traceId} at the receiver`).toBeGreaterThan(0);
  return spans;
}

/** The trace's one span whose parent is the caller's, i.e. the request's own root. */
function rootOf(spans: ReceivedSpan[], callerSpanId: string): ReceivedSpan {
  const roots = spans.filter((span) => span.parentSpanId === callerSpanId);
  expect(roots.map((span) => span.name)).toHaveLength(1);
  return roots[0]!;
}

/** Every span but the root hangs off a span of the same trace: one tree, nothing dangling. */
function expectOneTree(spans: ReceivedSpan[], root: ReceivedSpan) {
  const ids = new Set(spans.map((span) => span.spanId));
  expect(ids.size).toBe(spans.length);
  for (const span of spans) {
    expect(span.traceId).toBe(root.traceId);
    expect(span.service).toBe(SERVICE);
    if (span !== root) expect(ids.has(span.parentSpanId ?? ""), span.name).toBe(true);
  }
}

const system = (name: string) => (span: ReceivedSpan) => span.attributes["db.system.name"] === name;

describe.each(databaseBackends)("tracing on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, cache } = useTestServices(backend, redisUrl);

  async function storedRecord() {
    const { key, principal } = await createTestKey(db(), "admin", ["read", "write"]);
    const dataset = await db().prisma.dataset.create({
      data: { name: `ds-${randomUUID()}`, ownerId: principal.userId, policy: "analytics" },
    });
    const created = await createRecords(
      new Request("http://lake.test/api/v1/lake/data", {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json" },
        body: JSON.stringify({ dataset: dataset.id, payload: { n: 1 } }),
      }),
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    return { key, id };
  }

  const readRecord = (key: string, id: string, traceparent: string) =>
    getRecord(
      new Request(`http://lake.test/api/v1/lake/data/${id}`, {
        headers: { "x-api-key": key, traceparent },
      }),
      { params: Promise.resolve({ id }) },
    );

  it("exports one request as a tree: the route's server span in the caller's trace, SQL and Redis under it", async () => {
    const { key, id } = await storedRecord();
    const caller = callerContext();
    const response = await readRecord(key, id, caller.traceparent);
    expect(response.status).toBe(200);

    const spans = await exportedTrace(caller.traceId);
    const root = rootOf(spans, caller.spanId);
    expect(root).toMatchObject({
      name: "GET /api/v1/lake/data/[id]",
      kind: SERVER,
      status: 0,
      attributes: {
        "lake.door": "rest",
        "http.request.method": "GET",
        "http.route": "/api/v1/lake/data/[id]",
        "url.path": `/api/v1/lake/data/${id}`,
        "http.response.status_code": 200,
      },
    });
    expectOneTree(spans, root);
    // No span is named after the raw URL: the record id appears in none of the names.
    expect(spans.filter((span) => span.name.includes(id))).toEqual([]);

    const sql = spans.filter(system("postgresql"));
    expect(sql.length).toBeGreaterThan(0);
    for (const span of sql) {
      expect(span.parentSpanId).toBe(root.spanId);
      expect(span.kind).toBe(CLIENT);
      expect(span.name).toBe(span.attributes["db.query.summary"]);
    }
    // The record itself was read from PostgreSQL in this request (its API key too).
    expect(sql.map((span) => span.name)).toContain("SELECT records");

    const redis = spans.filter(system("redis"));
    if (redisUrl) {
      expect(redis.length).toBeGreaterThan(0);
      for (const span of redis) {
        expect(span.parentSpanId).toBe(root.spanId);
        expect(span.kind).toBe(CLIENT);
      }
    } else {
      expect(redis).toEqual([]);
    }
  });

  it("keeps concurrent requests' statements and commands in their own traces", async () => {
    const { key, id } = await storedRecord();
    const callers = Array.from({ length: 8 }, callerContext);
    // Sent in the same tick: their Redis commands leave in one auto-pipelined write and their
    // statements wait for the same pool's connections.
    const responses = await Promise.all(
      callers.map((caller) => readRecord(key, id, caller.traceparent)),
    );
    expect(responses.map((response) => response.status)).toEqual(callers.map(() => 200));
    await tracing.flush();
    const redisPerTrace = new Set<number>();
    for (const caller of callers) {
      const spans = receiver.trace(caller.traceId);
      const root = rootOf(spans, caller.spanId);
      expectOneTree(spans, root);
      const children = spans.filter((span) => span !== root);
      for (const span of children) expect(span.parentSpanId).toBe(root.spanId);
      expect(children.filter(system("postgresql")).length).toBeGreaterThan(0);
      redisPerTrace.add(children.filter(system("redis")).length);
    }
    // Every request sends the same commands (its rate limit, its cache read): misplaced ones
    // would leave one trace with more and another with fewer.
    expect(redisPerTrace.size).toBe(1);
    if (redisUrl) expect([...redisPerTrace][0]).toBeGreaterThan(0);
  });

  it("runs a queued job in a trace of its own, linked to the request that queued it", async () => {
    const caller = callerContext();
    const queue = cache().createJobQueue<{ n: number }>({ name: `traced-${randomUUID()}` });
    const ran: { n: number }[] = [];
    let queuedBy = "";
    try {
      await withRequestSpan(
        { door: "rest", name: "POST /test", carrier: { traceparent: caller.traceparent } },
        async (span) => {
          queuedBy = span.spanContext().spanId;
          await queue.add({ n: 7 });
        },
      );
      queue.process(async (job) => {
        ran.push(job.data);
      });
      await expect.poll(() => ran).toEqual([{ n: 7 }]);
    } finally {
      await queue.close();
    }
    await tracing.flush();
    const [job] = receiver.spans.filter((span) => span.links.some((l) => l.spanId === queuedBy));
    expect(job).toMatchObject({
      kind: 5, // CONSUMER
      links: [{ traceId: caller.traceId, spanId: queuedBy }],
    });
    expect(job!.name).toMatch(/^traced-.* process$/);
    expect(job!.traceId).not.toBe(caller.traceId);
    expect(job!.parentSpanId).toBeUndefined();
  });

  it("starts a trace of its own for a request without trace context", async () => {
    const { key, id } = await storedRecord();
    const before = new Set(receiver.spans.map((span) => span.traceId));
    const response = await getRecord(
      new Request(`http://lake.test/api/v1/lake/data/${id}`, { headers: { "x-api-key": key } }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.status).toBe(200);
    await tracing.flush();
    const roots = receiver.spans.filter(
      (span) =>
        !before.has(span.traceId) &&
        span.name === "GET /api/v1/lake/data/[id]" &&
        span.attributes["url.path"] === `/api/v1/lake/data/${id}`,
    );
    expect(roots).toHaveLength(1);
    expect(roots[0]!.parentSpanId).toBeUndefined();
    expect(roots[0]!.kind).toBe(SERVER);
  });

  it("names the trace in a 5xx envelope and marks the span failed", async () => {
    const { key } = await createTestKey(db(), "reader", ["read"]);
    const failing = apiRoute({
      endpoint: "/test/tracing/[thing]",
      permission: "read",
      handler: async ({ services }) => {
        await services.db.pool.query("SELECT 1");
        throw new Error("a bug");
      },
    });
    const caller = callerContext();
    const response = await failing(
      new Request("http://lake.test/test/tracing/x", {
        headers: { "x-api-key": key, traceparent: caller.traceparent },
      }),
    );
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error_code: string; details: unknown };
    expect(body.error_code).toBe("internal_error");
    expect(body.details).toEqual({
      request_id: response.headers.get("x-request-id"),
      trace_id: caller.traceId,
    });

    const spans = await exportedTrace(caller.traceId);
    const root = rootOf(spans, caller.spanId);
    expect(root).toMatchObject({
      name: "GET /test/tracing/[thing]",
      status: ERROR,
      attributes: { "http.response.status_code": 500, "error.type": "500" },
      events: ["exception"],
    });
    expect(spans.filter(system("postgresql")).map((span) => span.parentSpanId)).toContain(
      root.spanId,
    );
  });

  it("gives a tRPC procedure its span in the caller's trace, with its SQL under it", async () => {
    const { principal } = await createTestUser(db(), "admin");
    const caller = callerContext();
    const response = await trpcGet(
      new Request("http://lake.test/api/trpc/account.apiKeys.list", {
        headers: { cookie: await sessionCookie(principal.userId), traceparent: caller.traceparent },
      }),
    );
    expect(response.status).toBe(200);
    const spans = await exportedTrace(caller.traceId);
    const root = rootOf(spans, caller.spanId);
    expect(root).toMatchObject({
      name: "trpc query account.apiKeys.list",
      kind: SERVER,
      attributes: { "lake.door": "trpc", "rpc.method": "account.apiKeys.list" },
    });
    expectOneTree(spans, root);
    expect(spans.filter(system("postgresql")).length).toBeGreaterThan(0);
  });
});

type IngestClient = Client & { Ingest(metadata: Metadata): ClientDuplexStream<unknown, unknown> };

describe.each(databaseBackends)("tracing the gRPC door on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  it("continues the caller's trace from the metadata, with the batches' SQL under the call", async () => {
    const door = await startGrpcDoor({ LAKE_GRPC_PORT: 0, LAKE_GRPC_HOST: "127.0.0.1" });
    const StreamService = "datapunk.stream.v1.StreamService"
      .split(".")
      .reduce<GrpcObject>(
        (node, part) => node[part] as GrpcObject,
        loadPackageDefinition(streamPackageDefinition()),
      ) as unknown as ServiceClientConstructor;
    const client = new StreamService(
      `localhost:${door.port}`,
      credentials.createInsecure(),
    ) as unknown as IngestClient;
    try {
      const { key } = await createTestProducer(db());
      const caller = callerContext();
      const metadata = new Metadata();
      metadata.set("x-api-key", key);
      metadata.set("traceparent", caller.traceparent);
      const acks: { acks: unknown[] }[] = [];
      const error = await new Promise<ServiceError | undefined>((resolve) => {
        const call = client.Ingest(metadata);
        call.on("data", (ack: { acks: unknown[] }) => acks.push(ack));
        call.on("error", resolve);
        call.on("end", () => resolve(undefined));
        call.write({
          batchId: "b1",
          events: [
            {
              id: randomUUID(),
              topic: "user_events",
              partitionKey: "user-1",
              eventTime: { seconds: String(Math.floor(Date.now() / 1000) - 60), nanos: 0 },
              json: { fields: { n: { numberValue: 1 } } },
            },
          ],
        });
        call.end();
      });
      expect(error).toBeUndefined();
      expect(acks.map((ack) => ack.acks.length)).toEqual([1]);

      const spans = await exportedTrace(caller.traceId);
      const root = rootOf(spans, caller.spanId);
      expect(root).toMatchObject({
        name: "datapunk.stream.v1.StreamService/Ingest",
        kind: SERVER,
        status: 0,
        attributes: {
          "lake.door": "grpc",
          "rpc.system.name": "grpc",
          "rpc.method": "datapunk.stream.v1.StreamService/Ingest",
          "rpc.status_code": "OK",
        },
      });
      expectOneTree(spans, root);
      const sql = spans.filter(system("postgresql"));
      // The batch's append, sent from the stream's 'data' listener, is in the call's trace.
      expect(
        sql.filter((span) =>
          String(span.attributes["db.query.text"]).includes("INSERT INTO stream_events"),
        ),
      ).toHaveLength(1);
      for (const span of sql) expect(span.parentSpanId).toBe(root.spanId);
    } finally {
      client.close();
      await door.close();
    }
  });
});

describe("outbound calls", () => {
  it("pass the trace on to an HTTP peer (Cortex, a webhook) and to Stream's gRPC, each from its client span", async () => {
    const httpHeaders: unknown[] = [];
    const http = createServer((req, res) => {
      httpHeaders.push(req.headers.traceparent);
      req.resume().on("end", () => res.end("{}"));
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const grpcMetadata: unknown[] = [];
    const grpc = new Server();
    grpc.addService(streamProcessorClientClass().service, {
      Process(
        call: { metadata: Metadata; request: { batchId: string } },
        callback: (error: null, answer: unknown) => void,
      ) {
        grpcMetadata.push(call.metadata.get("traceparent")[0]);
        callback(null, { batchId: call.request.batchId, points: [] });
      },
    });
    const grpcPort = await new Promise<number>((resolve, reject) =>
      grpc.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    const stream = createStreamProcessorClient({ url: `127.0.0.1:${grpcPort}`, deadlineMs: 5000 });
    try {
      const caller = callerContext();
      const { port } = http.address() as AddressInfo;
      await withRequestSpan(
        { door: "rest", name: "POST /test/outbound", carrier: { traceparent: caller.traceparent } },
        async () => {
          const response = await tracedFetch(`http://127.0.0.1:${port}/embeddings?key=secret`, {
            method: "POST",
            body: "{}",
          });
          await response.text();
          await stream.process({ batchId: "b1", messages: [] });
        },
      );

      const spans = await exportedTrace(caller.traceId);
      const root = rootOf(spans, caller.spanId);
      expectOneTree(spans, root);
      const post = spans.find((span) => span.name === "POST")!;
      expect(post).toMatchObject({
        kind: CLIENT,
        parentSpanId: root.spanId,
        attributes: {
          "http.request.method": "POST",
          "http.response.status_code": 200,
          "url.full": `http://127.0.0.1:${port}/embeddings`,
        },
      });
      expect(httpHeaders).toEqual([`00-${caller.traceId}-${post.spanId}-01`]);
      const process = spans.find(
        (span) => span.name === "datapunk.stream.v1.StreamProcessor/Process",
      )!;
      expect(process).toMatchObject({ kind: CLIENT, parentSpanId: root.spanId });
      expect(grpcMetadata).toEqual([`00-${caller.traceId}-${process.spanId}-01`]);
    } finally {
      stream.close();
      grpc.forceShutdown();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe("GraphQL errors", () => {
  it("name the trace in a 5xx's extensions.details, as the REST envelope does, and only there", async () => {
    await withRequestSpan({ door: "graphql", name: "POST /api/v1/lake/graphql" }, async (span) => {
      const { traceId } = span.spanContext();
      const internal = toGraphQLError(new Error("a bug"));
      expect(internal.extensions).toMatchObject({
        code: "internal_error",
        details: { trace_id: traceId },
      });
      const unavailable = toGraphQLError(
        new AppError("service_unavailable", "Cortex is away.", { dependency: "cortex" }),
      );
      expect(unavailable.extensions.details).toEqual({ dependency: "cortex", trace_id: traceId });
      const refused = toGraphQLError(new AppError("not_found", "No such record."));
      expect(refused.extensions.details).toBeUndefined();
    });
  });
});

describe("log fields", () => {
  it("carry the running span's trace and span ids, and nothing outside a trace", async () => {
    expect(traceFields()).toEqual({});
    await withRequestSpan({ door: "rest", name: "GET /test" }, async (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(traceFields()).toEqual({ trace_id: traceId, span_id: spanId });
    });
  });
});
