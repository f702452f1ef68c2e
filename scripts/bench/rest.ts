// `npm run bench:rest`: the REST data API under autocannon (50 connections) on real PostgreSQL,
// each scenario next to a minimal node:http + pg server running the same SQL, measured in the same
// run. The ratio is the figure; it prints, it does not fail on a missed target.
//
//   BENCH_DATABASE_URL  recreated every run (default postgresql://postgres@127.0.0.1:5432/lake_bench)
//   REDIS_URL           the Lake's Redis (default redis://127.0.0.1:6379 when it answers, else none)
//   BENCH_SECONDS       measured seconds per run (default 8; a 2 s warm-up comes before each)
//   BENCH_CPU_PROF      a directory: the Lake runs with --cpu-prof and writes its profile there
//
// Then the same scenarios against a second Lake with tracing on (10 % sampled, exported to a local
// OTLP sink): what tracing costs in req/s (scripts/bench/tracing-cost.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";

import { parseRecordQuery } from "../../server/data/records/query/parse-record-query";
import { startOtlpReceiver } from "../../server/observability/testing/otlp-receiver";
import { buildRecordQuerySql } from "../../server/data/records/query/record-query.queries";
import {
  analyzeDatabase,
  chooseRedis,
  countRecords,
  DEFAULT_BENCH_DATABASE_URL,
  loadLine,
  printBenchHeader,
  recreateDatabase,
} from "./bench-environment";
import { benchChildren, startChild } from "./child-process";
import { BENCH_ADMIN_EMAIL, startBenchLake } from "./start-lake";
import { measure, type RunOptions, type Scenario } from "./measure";
import { type RawServerConfig } from "./raw-server";
import { failedRuns, formatResults, type Row } from "./report";
import { benchPayload, createBenchApiKey, lakeClient, seedThroughApi } from "./seed";
import { formatTracingCost, meanOf, tracingEnv, withCpu, type TracingRow } from "./tracing-cost";

const SEED_RECORDS = 10_000;
const SEED_BATCH = 1000;
/** The Lake's default LAKE_DB_POOL_SIZE; the raw server's pool gets the same. */
const POOL_SIZE = 10;

const config = {
  databaseUrl: process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL,
  redisUrl: process.env.REDIS_URL || undefined,
  cpuProfileDir: process.env.BENCH_CPU_PROF || undefined,
  run: {
    connections: 50,
    warmupSeconds: 2,
    durationSeconds: Number(process.env.BENCH_SECONDS || 8),
  } satisfies RunOptions,
};

const listQueryOf = (datasetId: string) => `dataset=${datasetId}&payload.status=eq.active&limit=50`;

const children = benchChildren("bench:rest");

function ensureBuild() {
  const result = spawnSync(process.execPath, ["scripts/ensure-build.mjs"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`ensure-build failed (exit ${result.status})`);
}

async function startLake(options: {
  redisUrl: string | undefined;
  dataDir: string;
  env?: Record<string, string>;
}) {
  const { baseUrl, pid } = await startBenchLake({
    children,
    databaseUrl: config.databaseUrl,
    ...options,
    // Its own keys on a shared Redis: nothing cached by another deployment or test is read.
    redisPrefix: "lake-bench:",
    cpuProfileDir: config.cpuProfileDir,
    env: { LAKE_DB_POOL_SIZE: String(POOL_SIZE), ...options.env },
  });
  return { url: baseUrl, pid };
}

async function startRawServer(rawConfig: RawServerConfig) {
  const raw = startChild({
    name: "raw server",
    args: ["--import", "tsx", "scripts/bench/raw-server.ts", JSON.stringify(rawConfig)],
    env: process.env,
  });
  children.add(raw);
  const [, port] = await raw.waitForLine(/^listening (\d+)$/, 30_000);
  return `http://127.0.0.1:${port}`;
}

/** Both servers must answer the same thing before their speeds are compared. */
async function checkSameAnswers(options: {
  lakeUrl: string;
  rawUrl: string;
  apiKey: string;
  scenarios: Scenario[];
}) {
  const call = async (baseUrl: string, auth: boolean, scenario: Scenario, path: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: scenario.method,
      headers: {
        ...(auth ? { authorization: `Bearer ${options.apiKey}` } : {}),
        ...(scenario.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: scenario.body === undefined ? undefined : JSON.stringify(scenario.body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${scenario.name}: ${response.status} ${text}`);
    return JSON.parse(text) as { id?: string; payload?: unknown; items?: { id: string }[] };
  };
  for (const scenario of options.scenarios) {
    const path = typeof scenario.path === "string" ? scenario.path : scenario.path();
    const [lake, raw] = await Promise.all([
      call(options.lakeUrl, true, scenario, path),
      call(options.rawUrl, false, scenario, path),
    ]);
    const same =
      scenario.method === "POST"
        ? JSON.stringify(lake.payload) === JSON.stringify(raw.payload)
        : JSON.stringify(lake.items?.map((item) => item.id) ?? [lake.id, lake.payload]) ===
          JSON.stringify(raw.items?.map((item) => item.id) ?? [raw.id, raw.payload]);
    if (!same) throw new Error(`${scenario.name}: the Lake and the raw server answer differently`);
  }
}

async function main() {
  const started = Date.now();
  printBenchHeader("bench:rest");
  console.log(`database: ${config.databaseUrl} (dropped and recreated)`);
  await recreateDatabase(config.databaseUrl);
  const redis = await chooseRedis(config.redisUrl);
  console.log(`redis:    ${redis.url ?? "none"} (${redis.reason})`);

  ensureBuild();
  const dataDir = mkdtempSync(path.join(tmpdir(), "lake-bench-"));
  const tracedDataDir = mkdtempSync(path.join(tmpdir(), "lake-bench-traced-"));
  const sink = await startOtlpReceiver({ keep: false });
  try {
    const lakeServer = await startLake({ redisUrl: redis.url, dataDir });
    const lakeUrl = lakeServer.url;
    console.log(`lake:     ${lakeUrl} (NODE_ENV=production, pool ${POOL_SIZE})`);

    const { key, ownerId } = await createBenchApiKey({
      databaseUrl: config.databaseUrl,
      adminEmail: BENCH_ADMIN_EMAIL,
    });
    const seedStarted = Date.now();
    const { datasetId, recordIds } = await seedThroughApi({
      lake: lakeClient(lakeUrl, key),
      datasetName: "bench",
      count: SEED_RECORDS,
      batchSize: SEED_BATCH,
    });
    await analyzeDatabase(config.databaseUrl);
    const seeded = await countRecords(config.databaseUrl);
    console.log(
      `seeded:   ${recordIds.length} records in batches of ${SEED_BATCH} through POST /api/v1/lake/data (${((Date.now() - seedStarted) / 1000).toFixed(1)} s), then ANALYZE`,
    );

    const listQuery = listQueryOf(datasetId);
    const rawUrl = await startRawServer({
      databaseUrl: config.databaseUrl,
      poolSize: POOL_SIZE,
      datasetId,
      ownerId,
      listQuery,
    });
    console.log(`raw:      ${rawUrl} (node:http + pg.Pool max ${POOL_SIZE})`);
    const listSql = buildRecordQuerySql(parseRecordQuery(new URLSearchParams(listQuery)), {
      datasetId,
    });
    console.log(
      `list SQL (from the Lake's builder, run by both):\n  ${listSql.text.replaceAll("\n", "\n  ")}`,
    );

    const randomId = () => recordIds[Math.floor(Math.random() * recordIds.length)]!;
    const scenarios: Scenario[] = [
      { name: "GET /data/{id}", method: "GET", path: () => `/api/v1/lake/data/${randomId()}` },
      {
        name: "GET /data?status=active (50)",
        method: "GET",
        path: `/api/v1/lake/data?${listQuery}`,
      },
      {
        name: "POST /data (one record)",
        method: "POST",
        path: "/api/v1/lake/data",
        body: { dataset: datasetId, payload: { ...benchPayload(SEED_RECORDS), status: "pending" } },
      },
    ];
    await checkSameAnswers({ lakeUrl, rawUrl, apiKey: key, scenarios });
    // A second instance of the same deployment (database, Redis keys) with tracing on, idle
    // while the others are measured.
    const traced = await startLake({
      redisUrl: redis.url,
      dataDir: tracedDataDir,
      env: tracingEnv(sink.endpoint),
    });
    console.log(
      `traced:   ${traced.url} (the Lake with tracing on, exporting to ${sink.endpoint})`,
    );
    const auth = { authorization: `Bearer ${key}` };
    // The other Lake has served the seeding (its code is warm): this one gets a discarded run of
    // each scenario first.
    for (const scenario of scenarios) await measure(traced.url, auth, scenario, config.run);

    const { connections, warmupSeconds, durationSeconds } = config.run;
    console.log(
      `\nautocannon: ${connections} connections, ${warmupSeconds} s warm-up + ${durationSeconds} s measured per run\n`,
    );
    const rows: Row[] = [];
    const tracingRows: TracingRow[] = [];
    for (const scenario of scenarios) {
      console.log(`  ${scenario.name}: Lake…`);
      const lake = await withCpu(lakeServer.pid, () =>
        measure(lakeUrl, auth, scenario, config.run),
      );
      console.log(`  ${scenario.name}: raw…`);
      const raw = await measure(rawUrl, {}, scenario, config.run);
      rows.push({ scenario: scenario.name, lake, raw });
      console.log(`  ${scenario.name}: Lake with tracing, twice, then without again…`);
      const onTraced = () => measure(traced.url, auth, scenario, config.run);
      const on = await withCpu(traced.pid, onTraced);
      const onAgain = await withCpu(traced.pid, onTraced);
      const offAgain = await withCpu(lakeServer.pid, () =>
        measure(lakeUrl, auth, scenario, config.run),
      );
      tracingRows.push({
        scenario: scenario.name,
        off: meanOf(lake, offAgain),
        on: meanOf(on, onAgain),
      });
    }

    const after = await countRecords(config.databaseUrl);
    console.log(`\n${formatResults(rows)}\n`);
    console.log(`${formatTracingCost(tracingRows, sink.received())}\n`);
    console.log(
      `records: ${seeded.total} seeded (${seeded.active} with status=active, the list's filter); ${after.total} after the POST runs`,
    );
    console.log(`load average ${loadLine()} at the end (${cpus().length} CPUs)`);
    console.log(
      `node ${process.version} · redis ${redis.url ? `used (${redis.url})` : "not used"} · ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
    );
    const failed = [
      ...failedRuns(rows),
      ...tracingRows
        .filter((row) => row.on.failures > 0)
        .map(
          (row) =>
            `${row.scenario} (traced): ${row.on.failures} of ${row.on.total} requests failed`,
        ),
    ];
    if (failed.length > 0) {
      console.error(
        `\nSome runs had failed requests, so their figures are not valid:\n  ${failed.join("\n  ")}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await children.stop();
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tracedDataDir, { recursive: true, force: true });
  }
}

children.run(main);
