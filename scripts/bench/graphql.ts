// `npm run bench:graphql`: the Lake's GraphQL door under autocannon (50 connections) on real
// PostgreSQL, next to the Lake's REST equivalents and PostGraphile v5 (amber preset) over a copy
// of the same database, all in the same run: (a) a record by id, (b) 50 records of a dataset with
// their dataset and owner. It prints, it does not fail on a missed target.
//
//   BENCH_DATABASE_URL  recreated every run (default postgresql://postgres@127.0.0.1:5432/lake_bench_graphql);
//                       PostGraphile's copy is the same name with _postgraphile
//   REDIS_URL           the Lake's Redis (default redis://127.0.0.1:6379 when it answers, else none)
//   BENCH_SECONDS       measured seconds per run (default 8; a 2 s warm-up comes before each)
//   BENCH_CPU_PROF      a directory: the measured Lake runs with --cpu-prof and writes its profile there
//   BENCH_CACHES        cold (default): each Lake run starts with the Lake's caches empty; warm: they
//                       are then filled by one request per id (or dataset) through the door measured
//
// PostGraphile and the Node 22 it needs are installed by the first run into
// node_modules/.cache/bench-graphql (postgraphile.ts), not into the project's dependencies.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";

import {
  analyzeDatabase,
  chooseRedis,
  deleteRedisKeys,
  loadLine,
  printBenchHeader,
  recreateDatabase,
} from "./bench-environment";
import { benchChildren } from "./child-process";
import { createOwnerKeys, seedDatasetsOfManyOwners } from "./graphql-seed";
import { failedGraphqlRuns, formatGraphqlResults, type Results } from "./graphql-report";
import {
  type Contender,
  contendersOf,
  itemPicker,
  REST_PAGE_CALL,
  type ScenarioKey,
  type Targets,
} from "./graphql-scenarios";
import { measure, type RunOptions, sendEach } from "./measure";
import { copyDatabase, ensurePostGraphile, startPostGraphile } from "./postgraphile";
import { createBenchApiKey } from "./seed";
import { BENCH_ADMIN_EMAIL, startBenchLake } from "./start-lake";

const DATASETS = 4;
const RECORDS_PER_DATASET = 2500;
/** Owners besides the admin; each writes this many records at a time, in turn. */
const OWNERS = 4;
const OWNER_BATCH = 10;
/** The Lake's default LAKE_DB_POOL_SIZE; PostGraphile's pool gets the same. */
const POOL_SIZE = 10;

const config = {
  databaseUrl:
    process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/lake_bench_graphql",
  redisUrl: process.env.REDIS_URL || undefined,
  cpuProfileDir: process.env.BENCH_CPU_PROF || undefined,
  warmCaches: process.env.BENCH_CACHES === "warm",
  run: {
    connections: 50,
    warmupSeconds: 2,
    durationSeconds: Number(process.env.BENCH_SECONDS || 8),
  } satisfies RunOptions,
};

const children = benchChildren("bench:graphql");
/** The Lake's keys; those of its caches (`cache:`) are emptied before each Lake run. */
const REDIS_PREFIX = "lake-bench-graphql:";

function ensureBuild() {
  const result = spawnSync(process.execPath, ["scripts/ensure-build.mjs"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`ensure-build failed (exit ${result.status})`);
}

function startLake(options: {
  redisUrl: string | undefined;
  dataDir: string;
  cpuProfileDir?: string;
}) {
  return startBenchLake({
    children,
    databaseUrl: config.databaseUrl,
    ...options,
    // Its own keys on a shared Redis: nothing cached by another deployment or test is read.
    redisPrefix: REDIS_PREFIX,
    env: { LAKE_DB_POOL_SIZE: String(POOL_SIZE) },
  });
}

/** The request a contender's scenario makes (its path and body functions called once). */
async function call(contender: Contender) {
  const { scenario } = contender;
  const body: unknown =
    typeof scenario.body === "function" ? (scenario.body as () => unknown)() : scenario.body;
  const response = await fetch(
    `${contender.baseUrl}${typeof scenario.path === "string" ? scenario.path : scenario.path()}`,
    {
      method: scenario.method,
      headers: {
        ...contender.headers,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  const text = await response.text();
  if (!response.ok) throw new Error(`${scenario.name}: ${response.status} ${text.slice(0, 500)}`);
  if (scenario.verifyBody && !scenario.verifyBody(text)) {
    throw new Error(`${scenario.name}: the answer is not a success:\n${text.slice(0, 1000)}`);
  }
  return JSON.parse(text) as unknown;
}

/**
 * Before any figure: the three servers answer the same records (ids, payloads, datasets, owners)
 * to the same question, and each answer passes the check that the measured ones must pass.
 * Returns how many owners a page has, at least, and the `extensions` of a Lake GraphQL answer
 * (what the door added to it: cost, a response cache's hit or miss…), to read the figures by.
 */
async function checkSameAnswers(
  targets: Targets,
): Promise<{ fewestOwners: number; lakeExtensions: unknown }> {
  const samples: { key: ScenarioKey; targets: Targets }[] = [
    ...targets.recordIds
      .filter((_, index) => index % 2500 === 0)
      .map((id) => ({ key: "byId" as const, targets: { ...targets, recordIds: [id] } })),
    ...targets.datasetIds.map((id) => ({
      key: "page" as const,
      targets: { ...targets, datasetIds: [id] },
    })),
  ];
  let fewestOwners = Infinity;
  let lakeExtensions: unknown;
  for (const sample of samples) {
    const contenders = contendersOf(sample.key, sample.targets);
    const digests = await Promise.all(
      contenders.map(async (contender) => {
        const answer = await call(contender);
        if (contender.server === "Lake GraphQL") {
          lakeExtensions = (answer as { extensions?: unknown }).extensions;
        }
        return contender.digest(answer);
      }),
    );
    const [first, ...others] = digests.map((digest) => JSON.stringify(digest));
    if (others.some((other) => other !== first)) {
      throw new Error(
        `${sample.key}: the servers answer differently:\n${contenders.map((c, i) => `  ${c.server}: ${JSON.stringify(digests[i]).slice(0, 400)}`).join("\n")}`,
      );
    }
    if (sample.key === "page") {
      const lines = digests[0] as string[];
      if (lines.length !== 50) throw new Error(`a page has ${lines.length} records, not 50`);
      fewestOwners = Math.min(fewestOwners, new Set(lines.map((line) => line.split(" ")[2])).size);
    }
  }
  return { fewestOwners, lakeExtensions };
}

async function main() {
  const started = Date.now();
  printBenchHeader("bench:graphql");
  const install = ensurePostGraphile();
  console.log(
    `postgraphile ${install.postgraphileVersion} (amber preset) on node ${install.nodeVersion}: ${path.relative(".", install.dir)} (${install.installed ? "installed now" : "installed before"})`,
  );
  console.log(`database: ${config.databaseUrl} (dropped and recreated)`);
  await recreateDatabase(config.databaseUrl);
  const redis = await chooseRedis(config.redisUrl);
  console.log(`redis:    ${redis.url ?? "none"} (${redis.reason})`);

  ensureBuild();
  const dataDir = mkdtempSync(path.join(tmpdir(), "lake-bench-graphql-"));
  try {
    // The seeding Lake stops before the copy: CREATE DATABASE … TEMPLATE needs its source idle.
    const seeding = await startLake({ redisUrl: redis.url, dataDir });
    const { key } = await createBenchApiKey({
      databaseUrl: config.databaseUrl,
      adminEmail: BENCH_ADMIN_EMAIL,
    });
    const ownerKeys = await createOwnerKeys(config.databaseUrl, OWNERS);
    const seedStarted = Date.now();
    const { datasetIds, recordIds } = await seedDatasetsOfManyOwners({
      baseUrl: seeding.baseUrl,
      keys: [key, ...ownerKeys],
      datasets: DATASETS,
      recordsPerDataset: RECORDS_PER_DATASET,
      batchSize: OWNER_BATCH,
    });
    await seeding.stop();
    await analyzeDatabase(config.databaseUrl);
    console.log(
      `seeded:   ${recordIds.length} records in ${DATASETS} datasets by ${OWNERS + 1} owners (batches of ${OWNER_BATCH}, in turn) through POST /api/v1/lake/data (${((Date.now() - seedStarted) / 1000).toFixed(1)} s), then ANALYZE`,
    );
    const copyName = `${decodeURIComponent(new URL(config.databaseUrl).pathname.slice(1))}_postgraphile`;
    const copyUrl = await copyDatabase(config.databaseUrl, copyName);
    console.log(
      `copy:     ${copyUrl} (CREATE DATABASE … TEMPLATE; records' foreign keys to datasets and users are the Lake's own, nothing added)`,
    );

    const { baseUrl: lakeUrl } = await startLake({
      redisUrl: redis.url,
      dataDir,
      cpuProfileDir: config.cpuProfileDir,
    });
    console.log(`lake:     ${lakeUrl} (NODE_ENV=production, pool ${POOL_SIZE}, admin API key)`);
    const postgraphileUrl = await startPostGraphile({
      children,
      install,
      databaseUrl: copyUrl,
      poolSize: POOL_SIZE,
    });
    console.log(`postgraphile: ${postgraphileUrl}/graphql (pg pool max ${POOL_SIZE}, no auth)`);

    const targets: Targets = { lakeUrl, apiKey: key, postgraphileUrl, datasetIds, recordIds };
    const { fewestOwners, lakeExtensions } = await checkSameAnswers(targets);
    console.log(
      `answers:  the same records from all three (sampled); every page of (b) has ≥ ${fewestOwners} owners`,
    );
    console.log(
      `          a Lake GraphQL answer's extensions: ${JSON.stringify(lakeExtensions) ?? "none"}`,
    );
    console.log(`REST (b): ${REST_PAGE_CALL} (records carry dataset_id and owner_id)`);

    const { connections, warmupSeconds, durationSeconds } = config.run;
    console.log(
      `\nautocannon: ${connections} connections, ${warmupSeconds} s warm-up + ${durationSeconds} s measured per run; random id / dataset per request\n`,
    );
    console.log(
      !redis.url
        ? "caches:   NOT emptied between runs (in-process without Redis): the second Lake run reads what the first warmed\n"
        : config.warmCaches
          ? "caches:   warm — emptied before each Lake run, then filled by one request per id (dataset) through the door measured: the steady state of a working set the caches hold\n"
          : "caches:   cold — each Lake run starts with the Lake's caches empty (records, responses): the two doors share them, and the second would be served what the first warmed\n",
    );
    const results = {} as Results;
    for (const scenarioKey of ["byId", "page"] as const) {
      results[scenarioKey] = {} as Results[ScenarioKey];
      const picker = itemPicker();
      for (const contender of contendersOf(scenarioKey, targets, picker)) {
        if (redis.url && contender.server !== "PostGraphile") {
          await deleteRedisKeys(redis.url, `${REDIS_PREFIX}cache:*`);
          if (config.warmCaches) {
            const items = scenarioKey === "byId" ? targets.recordIds : targets.datasetIds;
            await picker.inOrder(() =>
              sendEach(contender.baseUrl, contender.headers, contender.scenario, {
                amount: items.length,
                connections,
              }),
            );
          }
        }
        console.log(`  ${contender.scenario.name}… (load average ${loadLine()})`);
        results[scenarioKey][contender.server] = await measure(
          contender.baseUrl,
          contender.headers,
          contender.scenario,
          config.run,
        );
      }
    }

    console.log(`\n${formatGraphqlResults(results)}\n`);
    console.log(`load average ${loadLine()} at the end (${cpus().length} CPUs)`);
    console.log(
      `node ${process.version} · redis ${redis.url ? `used (${redis.url})` : "not used"} · ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
    );
    const failed = failedGraphqlRuns(results);
    if (failed.length > 0) {
      console.error(
        `\nSome runs had failed requests, so their figures are not valid:\n  ${failed.join("\n  ")}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await children.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

children.run(main);
