// `npm run bench:stream`: the real-time half under load, each figure next to a baseline measured
// in the same run. It prints figures; it is not a test.
//   1. ingest over gRPC (Ingest, batches, acknowledged = in the log and on the bus) vs a raw
//      grpc-js server that only acknowledges the same batches, and vs raw Redis XADD pipelined;
//   2. fan-out to WebSocket subscribers with per-event authorization (half of the events are
//      owner_only, and half of the subscribers may not read them) vs a raw `ws` server
//      broadcasting the same events to as many clients without authorization: delivered
//      messages/s and ingest → client latency p50/p95/p99;
//   3. the Lake's peak RSS.
//
//   BENCH_DATABASE_URL        recreated every run (default …/lake_bench_stream)
//   REDIS_URL                 the Lake's Redis (default redis://127.0.0.1:6379 when it answers)
//   BENCH_STREAM_EVENTS       events ingested in part 1 (default 100000)
//   BENCH_STREAM_BATCH        events per Ingest batch (default 500)
//   BENCH_STREAM_SUBSCRIBERS  WebSocket subscribers in part 2 (default 500)
//   BENCH_FANOUT_RATE         events/s offered in part 2 (default 100), for BENCH_FANOUT_SECONDS (10)
//   BENCH_FANOUT_PROCESSES    client processes the subscribers are spread over (default 4)
//   BENCH_CPU_PROF            a directory: the Lake runs with --cpu-prof and writes its profile there
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type ClientDuplexStream,
  type GrpcObject,
  type ServiceClientConstructor,
} from "@grpc/grpc-js";
import { Redis } from "ioredis";
import WebSocket from "ws";

import {
  STREAM_PACKAGE,
  streamPackageDefinition,
} from "../../server/stream/contracts/stream-proto";
import {
  chooseRedis,
  DEFAULT_BENCH_DATABASE_URL,
  loadLine,
  printBenchHeader,
  recreateDatabase,
} from "./bench-environment";
import { createKeys } from "./bench-keys";
import { benchChildren, freePort, startChild } from "./child-process";
import { TARGET_RATIO } from "./report";
import { sampleRss } from "./rss-sampler";
import { startBenchLake } from "./start-lake";

const config = {
  databaseUrl:
    process.env.BENCH_DATABASE_URL ||
    `${DEFAULT_BENCH_DATABASE_URL.replace(/\/[^/]*$/, "")}/lake_bench_stream`,
  redisUrl: process.env.REDIS_URL || undefined,
  events: Number(process.env.BENCH_STREAM_EVENTS || 100_000),
  batch: Number(process.env.BENCH_STREAM_BATCH || 500),
  subscribers: Number(process.env.BENCH_STREAM_SUBSCRIBERS || 500),
  fanoutRate: Number(process.env.BENCH_FANOUT_RATE || 100),
  fanoutSeconds: Number(process.env.BENCH_FANOUT_SECONDS || 10),
  fanoutProcesses: Number(process.env.BENCH_FANOUT_PROCESSES || 4),
  cpuProfileDir: process.env.BENCH_CPU_PROF || undefined,
};
const TARGET_P95_MS = 100;
const TARGET_RSS_MB = 400;
const IN_FLIGHT = 8;

const children = benchChildren("bench:stream");
const fmt = (n: number) => Math.round(n).toLocaleString("en");

type Ack = { batchId: string; acks: unknown[]; errors: { message: string }[] };
type StreamClient = { Ingest(metadata: Metadata): ClientDuplexStream<unknown, Ack>; close(): void };
const StreamService = STREAM_PACKAGE.split(".").reduce<GrpcObject>(
  (node, part) => node[part] as GrpcObject,
  loadPackageDefinition(streamPackageDefinition()),
).StreamService as ServiceClientConstructor;

/** Half user_events (owner_only), half system_metrics (every reader); `t` is when it was sent. */
function events(from: number, count: number) {
  const time = { seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 };
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const t = { numberValue: Date.now() };
    return n % 2 === 0
      ? {
          id: `e${n}-${randomUUID()}`,
          topic: "user_events",
          partitionKey: `user-${n % 97}`,
          eventTime: time,
          json: { fields: { n: { numberValue: n }, t } },
        }
      : {
          id: `e${n}-${randomUUID()}`,
          topic: "system_metrics",
          partitionKey: String(n),
          eventTime: time,
          json: {
            fields: {
              host: { stringValue: "h1" },
              name: { stringValue: "cpu" },
              value: { numberValue: n % 100 },
              // A metric's payload is strict: its own timestamp carries when it was sent.
              timestamp: { stringValue: new Date(t.numberValue).toISOString() },
            },
          },
        };
  });
}

/** Sends `total` events in batches with IN_FLIGHT batches unacknowledged at most; events/s. */
async function ingest(address: string, key: string | undefined, total: number, batchSize: number) {
  const client = new StreamService(address, credentials.createInsecure(), {
    "grpc.max_send_message_length": 16 * 1024 * 1024,
  }) as unknown as StreamClient;
  const metadata = new Metadata();
  if (key) metadata.set("x-api-key", key);
  const call = client.Ingest(metadata);
  const batches = Math.ceil(total / batchSize);
  const started = performance.now();
  let sent = 0;
  let acked = 0;
  await new Promise<void>((resolve, reject) => {
    const sendMore = () => {
      while (sent < batches && sent - acked < IN_FLIGHT) {
        const from = sent * batchSize;
        call.write({
          batchId: String(sent),
          events: events(from, Math.min(batchSize, total - from)),
        });
        sent += 1;
      }
      if (sent === batches) call.end();
    };
    call.on("data", (ack: Ack) => {
      if (ack.errors.length > 0) reject(new Error(`refused: ${ack.errors[0]!.message}`));
      acked += 1;
      sendMore();
    });
    call.on("error", reject);
    call.on("end", () => (acked === batches ? resolve() : reject(new Error(`only ${acked} acks`))));
    sendMore();
  });
  const seconds = (performance.now() - started) / 1000;
  client.close();
  return total / seconds;
}

async function redisXadd(url: string, total: number, batchSize: number) {
  const redis = new Redis(url);
  const key = `lake-bench-stream-${Date.now()}`;
  const started = performance.now();
  for (let from = 0; from < total; from += batchSize) {
    const pipeline = redis.pipeline();
    for (const event of events(from, Math.min(batchSize, total - from))) {
      pipeline.xadd(key, "MAXLEN", "~", 100_000, "*", "r", JSON.stringify(event));
    }
    await pipeline.exec();
  }
  const rate = total / ((performance.now() - started) / 1000);
  await redis.del(key);
  redis.disconnect();
  return rate;
}

type Fanout = {
  delivered: number;
  expected: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
};

/** The value below which p% of the latencies fall, from a histogram of [ms, count]. */
function percentileOf(histogram: Map<number, number>, total: number, p: number): number {
  let seen = 0;
  for (const [ms, count] of [...histogram].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen >= (p / 100) * total) return ms;
  }
  return NaN;
}

/**
 * Opens the subscribers in BENCH_FANOUT_PROCESSES client processes (one process's event loop
 * saturates near 30k messages/s, below what the servers deliver), offers events at the configured
 * rate through `publish`, and gathers what each process received: everything it expected, or all
 * that came until nothing had for 5 s.
 */
async function fanout(options: {
  url: string;
  /** Subscriber i's headers and subscribe message, and the share of the events it may receive. */
  subscriber: (i: number) => {
    headers: Record<string, string>;
    subscribe?: unknown;
    share: number;
  };
  publish: (batch: ReturnType<typeof events>) => Promise<void>;
}): Promise<Fanout> {
  const total = config.fanoutRate * config.fanoutSeconds;
  const groups = Array.from({ length: config.fanoutProcesses }, (_, p) =>
    Array.from({ length: config.subscribers }, (_, i) => i).filter(
      (i) => i % config.fanoutProcesses === p,
    ),
  );
  const clients = await Promise.all(
    groups.map(async (members, p) => {
      const specs = members.map(options.subscriber);
      const client = children.add(
        startChild({
          name: `fan-out clients ${p + 1}`,
          args: [
            "--import",
            "tsx",
            "scripts/bench/fanout-clients.ts",
            JSON.stringify({
              url: options.url,
              sockets: specs.map(({ headers, subscribe }) => ({ headers, subscribe })),
              expected: specs.reduce((sum, spec) => sum + Math.round(total * spec.share), 0),
              quietMs: 5_000,
            }),
          ],
          env: process.env,
        }),
      );
      await client.waitForLine(/^ready$/, 120_000);
      return {
        expected: specs.reduce((sum, spec) => sum + Math.round(total * spec.share), 0),
        result: client.waitForLine(/^result (.*)$/, (config.fanoutSeconds + 60) * 1000),
      };
    }),
  );
  // Subscriptions are answered asynchronously: let them all be in place.
  await sleep(1000);
  const perTick = Math.max(1, Math.round(config.fanoutRate / 10));
  const started = performance.now();
  for (let sent = 0; sent < total; sent += perTick) {
    const due = started + (sent / config.fanoutRate) * 1000;
    if (due > performance.now()) await sleep(due - performance.now());
    await options.publish(events(sent, Math.min(perTick, total - sent)));
  }
  const histogram = new Map<number, number>();
  let delivered = 0;
  let lastDone = 0;
  for (const client of clients) {
    const [, json] = await client.result;
    lastDone = Math.max(lastDone, performance.now());
    const result = JSON.parse(json!) as { received: number; histogram: [number, number][] };
    delivered += result.received;
    for (const [ms, count] of result.histogram) histogram.set(ms, (histogram.get(ms) ?? 0) + count);
  }
  const seconds = (lastDone - started) / 1000;
  return {
    delivered,
    expected: clients.reduce((sum, client) => sum + client.expected, 0),
    perSecond: delivered / seconds,
    p50: percentileOf(histogram, delivered, 50),
    p95: percentileOf(histogram, delivered, 95),
    p99: percentileOf(histogram, delivered, 99),
  };
}

function openSocket(
  url: string,
  headers: Record<string, string>,
  onOpen?: (socket: WebSocket) => void,
) {
  return new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(url, [], { headers });
    socket.once("open", () => {
      onOpen?.(socket);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

async function main() {
  printBenchHeader("bench:stream");
  await recreateDatabase(config.databaseUrl);
  const redis = await chooseRedis(config.redisUrl);
  console.log(`redis:    ${redis.url ?? "none"} (${redis.reason})`);
  const dataDir = mkdtempSync(path.join(tmpdir(), "lake-bench-stream-"));
  const grpcPort = await freePort();
  const lake = await startBenchLake({
    children,
    databaseUrl: config.databaseUrl,
    redisUrl: redis.url,
    dataDir,
    redisPrefix: `lake-bench-stream-${Date.now()}:`,
    cpuProfileDir: config.cpuProfileDir,
    env: {
      LAKE_GRPC_PORT: String(grpcPort),
      LAKE_WS_MAX_CONNECTIONS: String(config.subscribers * 4),
      LAKE_WS_MAX_CONNECTIONS_PER_PRINCIPAL: String(config.subscribers * 2),
    },
  });
  const rss = sampleRss(lake.pid);
  const keys = await createKeys(config.databaseUrl);

  const raw = children.add(
    startChild({
      name: "raw gRPC",
      args: ["--import", "tsx", "scripts/bench/stream-baselines.ts", "grpc"],
      env: process.env,
    }),
  );
  const rawPort = (await raw.waitForLine(/listening (\d+)/, 60_000))[1]!;
  const rawWs = children.add(
    startChild({
      name: "raw ws",
      args: ["--import", "tsx", "scripts/bench/stream-baselines.ts", "ws"],
      env: process.env,
    }),
  );
  const rawWsPort = (await rawWs.waitForLine(/listening (\d+)/, 60_000))[1]!;

  // Warm up both (JIT, connections), then measure.
  await ingest(`127.0.0.1:${grpcPort}`, keys.producer, config.batch * 4, config.batch);
  await ingest(`127.0.0.1:${rawPort}`, undefined, config.batch * 4, config.batch);
  console.log(
    `\n1. ingest over gRPC: ${fmt(config.events)} events in batches of ${config.batch}, ${IN_FLIGHT} in flight (load ${loadLine()})`,
  );
  const lakeRate = await ingest(
    `127.0.0.1:${grpcPort}`,
    keys.producer,
    config.events,
    config.batch,
  );
  const rawRate = await ingest(`127.0.0.1:${rawPort}`, undefined, config.events, config.batch);
  const xaddRate = redis.url ? await redisXadd(redis.url, config.events, config.batch) : NaN;
  console.log(`   Lake (stored in the log, on the bus)  ${fmt(lakeRate)} events/s`);
  console.log(
    `   raw grpc-js, acknowledging only       ${fmt(rawRate)} events/s   ratio ${(lakeRate / rawRate).toFixed(2)}× (target ≥ ${TARGET_RATIO}×)`,
  );
  console.log(
    `   raw Redis XADD, pipelined             ${fmt(xaddRate)} events/s   ratio ${(lakeRate / xaddRate).toFixed(2)}×`,
  );

  console.log(
    `\n2. fan-out: ${config.subscribers} WebSocket subscribers in ${config.fanoutProcesses} client processes, ${config.fanoutRate} events/s for ${config.fanoutSeconds} s (load ${loadLine()})`,
  );
  const lakeUrl = lake.baseUrl.replace("http", "ws") + "/api/v1/lake/stream";
  const producerIngest = new StreamService(
    `127.0.0.1:${grpcPort}`,
    credentials.createInsecure(),
  ) as unknown as StreamClient;
  const md = new Metadata();
  md.set("x-api-key", keys.producer);
  const call = producerIngest.Ingest(md);
  call.on("data", () => undefined);
  call.on("error", () => undefined); // cancelled when the bench stops
  const lakeFanout = await fanout({
    url: lakeUrl,
    // Half the subscribers are the producer (they receive everything), half a reader (they may
    // not read the producer's user_events: the Lake drops those for them).
    subscriber: (i) => ({
      headers: { "x-api-key": i % 2 === 0 ? keys.producer : keys.reader },
      subscribe: { type: "subscribe", id: 1, topics: ["user_events", "system_metrics"] },
      share: i % 2 === 0 ? 1 : 0.5,
    }),
    publish: async (batch) => void call.write({ batchId: randomUUID(), events: batch }),
  });
  call.end();
  producerIngest.close();
  const publisher = await openSocket(`ws://127.0.0.1:${rawWsPort}/publisher`, {});
  const rawFanout = await fanout({
    url: `ws://127.0.0.1:${rawWsPort}/`,
    subscriber: () => ({ headers: {}, share: 1 }),
    publish: async (batch) =>
      void publisher.send(
        JSON.stringify(batch.map((event) => ({ ...event, payload: { t: Date.now() } }))),
      ),
  });
  publisher.terminate();
  const line = (name: string, f: Fanout) =>
    console.log(
      `   ${name} ${fmt(f.perSecond)} msg/s delivered (${fmt(f.delivered)}/${fmt(f.expected)}), latency p50 ${f.p50} ms, p95 ${f.p95} ms, p99 ${f.p99} ms`,
    );
  line("Lake, authorized per event  ", lakeFanout);
  line("raw ws broadcast            ", rawFanout);
  console.log(
    `   ratio ${(lakeFanout.perSecond / rawFanout.perSecond).toFixed(2)}× (target ≥ ${TARGET_RATIO}×), Lake p95 ${lakeFanout.p95} ms (target ≤ ${TARGET_P95_MS} ms)`,
  );

  console.log(
    `\n3. the Lake's peak RSS: ${rss.peakMb().toFixed(0)} MB sampled, VmHWM ${rss.hwmMb()?.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB)`,
  );
  console.log(`load average at the end: ${loadLine()}`);
  rss.stop();
  await children.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

children.run(main);
