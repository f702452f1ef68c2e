// `npm run bench:vectors`: similarity search on 100,000 clustered 1536-d vectors in the real
// PostgreSQL with pgvector, in one run: exact search, the auto-tuned IVFFlat index (the default)
// and HNSW (ef_search tuned the same way). It prints figures; it is not a test.
//
// What is measured: searchVectors() — the service behind POST /api/v1/lake/vectors/search and the
// console — called in-process for k = 10, cosine, as an admin across datasets (uncached: only
// dataset-scoped searches are cached). Its time includes the index-state lookup, the read-only
// transaction with its SET LOCALs, the search SQL joined to records and the mapping of rows;
// not HTTP, auth or JSON. Indexes are built and tuned by the product's tuner (requestIndexTune):
// lists from the row count, then the smallest probes / ef_search whose recall@10 on 50 vectors
// sampled from the table reaches 0.95. Recall here is measured on a held-out set of queries
// drawn near cluster centres (not rows of the table) against the exact search's answers.
//
//   BENCH_DATABASE_URL   recreated every run (default postgresql://postgres@127.0.0.1:5432/lake_bench_vectors)
//   BENCH_VECTORS        rows (default 100000); BENCH_CLUSTERS (100); BENCH_QUERIES (100)
//   BENCH_SECONDS        duration of each 8-client throughput run (default 10)
//   BENCH_BUILD_MEMORY_MB  maintenance_work_mem of the index builds' session (default 1024)
import { mkdtempSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";

import { bootstrapAdmin } from "../../server/auth/bootstrap-admin";
import { loadPrincipal } from "../../server/auth/load-principal";
import { type Principal } from "../../server/auth/principal";
import { createCacheServices, type CacheServices } from "../../server/cache/cache-services";
import { type Database } from "../../server/db/client";
import { startDatabase } from "../../server/db/database";
import { withQueryTimeout } from "../../server/db/query-timeout";
import { type VectorIndexMethod } from "../../server/db/generated/enums";
import { findIndexState, paramsOf } from "../../server/vectors/indexes/index-state";
import {
  indexBuildsSettled,
  requestIndexTune,
} from "../../server/vectors/indexes/request-index-tune";
import { createSearchPipeline } from "../../server/vectors/search/search-pipeline";
import { searchVectors } from "../../server/vectors/search/search-vectors";
import { searchBodySchema, type SearchBody } from "../../server/vectors/vectors.schemas";
import { DEFAULT_BENCH_DATABASE_URL, recreateDatabase } from "./bench-environment";
import { clusterSpace, copyClusteredRecords } from "./vector-data";
import { formatVectorResults, type VectorRow } from "./vector-report";

const config = {
  databaseUrl:
    process.env.BENCH_DATABASE_URL ||
    `${DEFAULT_BENCH_DATABASE_URL.replace(/\/[^/]*$/, "")}/lake_bench_vectors`,
  rows: Number(process.env.BENCH_VECTORS || 100_000),
  clusters: Number(process.env.BENCH_CLUSTERS || 100),
  queries: Number(process.env.BENCH_QUERIES || 100),
  seconds: Number(process.env.BENCH_SECONDS || 10),
  buildMemoryMb: Number(process.env.BENCH_BUILD_MEMORY_MB || 1024),
  clients: 8,
  k: 10,
  seed: 20261126,
  /** Per-component noise around a centre (centres are N(0,1)): cosine ≈ 0.8 to the centre. */
  spread: 0.75,
  /** Queries sit closer to their centre than the rows do. */
  querySpread: 0.35,
};

type Services = { db: Database; cache: CacheServices; principal: Principal };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function log(message: string) {
  process.stderr.write(`[bench:vectors] ${message}\n`);
}

async function search(services: Services, body: SearchBody) {
  // A pipeline of the product's shape, sized so the 8 clients never queue behind it.
  return searchVectors({ ...services, search: body, pipeline });
}
const pipeline = createSearchPipeline({ maxConcurrent: 100, queue: 1000 });

/** Single client: each query once, in order (after a warm-up pass over the first ten). */
async function latencies(services: Services, bodies: SearchBody[]) {
  for (const body of bodies.slice(0, 10)) await search(services, body);
  const times: number[] = [];
  const answers: string[][] = [];
  for (const body of bodies) {
    const started = performance.now();
    const result = await search(services, body);
    times.push(performance.now() - started);
    answers.push(result.results.map((hit) => hit.record.id));
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), answers };
}

/** `clients` loops over the queries for `config.seconds`: completed searches per second. */
async function throughput(services: Services, bodies: SearchBody[]) {
  const deadline = performance.now() + config.seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: config.clients }, async (_, client) => {
      for (let i = client; performance.now() < deadline; i += config.clients) {
        await search(services, bodies[i % bodies.length]!);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

function recallAgainst(truth: string[][], answers: string[][]): number {
  let found = 0;
  let expected = 0;
  truth.forEach((exact, index) => {
    const got = new Set(answers[index]);
    expected += exact.length;
    found += exact.filter((id) => got.has(id)).length;
  });
  return expected === 0 ? 1 : found / expected;
}

/**
 * Asks the product's tuner for an index and waits for it, timing the CREATE INDEX phase from the
 * progress the build reports in its state row (polled every 250 ms).
 */
async function tune(db: Database, method: VectorIndexMethod) {
  const started = performance.now();
  let builtAt: number | undefined;
  let lastPhase = "";
  const poll = setInterval(() => {
    void findIndexState(db, "TEXT", "cosine").then((state) => {
      const phase = String((state?.progress as { phase?: string } | null)?.phase ?? "");
      if (phase !== lastPhase)
        log(`  ${method}: ${phase} (${seconds(performance.now() - started)})`);
      lastPhase = phase;
      if (
        builtAt === undefined &&
        lastPhase &&
        !phase.startsWith("building") &&
        phase !== "starting" &&
        phase !== "counting"
      ) {
        builtAt = performance.now();
      }
    });
  }, 250);
  await requestIndexTune({
    db,
    type: "TEXT",
    metric: "cosine",
    method,
    tuning: { maintenanceWorkMemMb: config.buildMemoryMb },
  });
  await indexBuildsSettled();
  clearInterval(poll);
  const state = await findIndexState(db, "TEXT", "cosine");
  if (state?.status !== "ready" || !state.indexName) {
    throw new Error(`the ${method} build did not finish: ${state?.status} ${state?.error ?? ""}`);
  }
  const finished = performance.now();
  return {
    state,
    buildMs: (builtAt ?? finished) - started,
    tuneMs: finished - (builtAt ?? finished),
  };
}

async function main() {
  process.env.LAKE_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "lake-bench-vectors-"));
  process.env.LOG_LEVEL ??= "warn";
  log(
    `${config.rows} × 1536-d vectors in ${config.clusters} clusters, ${config.queries} held-out queries; ` +
      `${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`,
  );
  await recreateDatabase(config.databaseUrl);
  const db = await startDatabase({ url: config.databaseUrl, poolSize: config.clients + 2 });
  const cacheServices = await createCacheServices({ redisUrl: undefined, namespace: "bench:" });
  try {
    const email = "bench-vectors@datapunk.local";
    await bootstrapAdmin({ db, email, password: "bench vectors passphrase" });
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    const principal = await loadPrincipal({ db, userId: user.id, via: "session" });
    const services: Services = { db, cache: cacheServices, principal };
    const dataset = await db.prisma.dataset.create({
      data: { name: "bench_vectors", ownerId: user.id, policy: "analytics" },
    });

    const space = clusterSpace(config.seed, config.clusters);
    const started = performance.now();
    const client = await db.pool.connect();
    try {
      await copyClusteredRecords(client, {
        datasetId: dataset.id,
        ownerId: user.id,
        rows: config.rows,
        space,
        spread: config.spread,
        model: "bench/clustered",
      });
      // Statistics and a visibility map for the fresh tables, as autovacuum would leave them.
      await client.query("SET statement_timeout = 0");
      await client.query(
        withQueryTimeout({ text: "VACUUM ANALYZE records, record_embeddings" }, 0),
      );
      await client.query("RESET statement_timeout");
    } finally {
      client.release();
    }
    const loadMs = performance.now() - started;
    log(`loaded in ${seconds(loadMs)} (COPY, text vectors)`);

    const bodies = Array.from({ length: config.queries }, (_, i) =>
      searchBodySchema.parse({
        vector: space.near((i * 37) % config.clusters, config.querySpread),
        type: "TEXT",
        k: config.k,
        metric: "cosine",
      }),
    );
    const rows: VectorRow[] = [];

    log("exact search…");
    const exact = await latencies(services, bodies);
    const exactQps = await throughput(services, bodies);
    rows.push({
      name: "exact",
      params: "—",
      recall: recallAgainst(exact.answers, exact.answers),
      tunerRecall: null,
      p50: exact.p50,
      p95: exact.p95,
      qps: exactQps,
      buildMs: null,
      tuneMs: null,
      sizeBytes: null,
    });

    for (const method of ["ivfflat", "hnsw"] as const) {
      log(`${method}: build and tune…`);
      const built = await tune(db, method);
      const measured = await latencies(services, bodies);
      const qps = await throughput(services, bodies);
      const params = paramsOf(built.state);
      rows.push({
        name: method === "ivfflat" ? "IVFFlat (auto-tuned)" : "HNSW (ef_search tuned)",
        params: Object.entries(params)
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(" "),
        recall: recallAgainst(exact.answers, measured.answers),
        tunerRecall: built.state.measuredRecall,
        p50: measured.p50,
        p95: measured.p95,
        qps,
        buildMs: built.buildMs,
        tuneMs: built.tuneMs,
        sizeBytes: built.state.sizeBytes === null ? null : Number(built.state.sizeBytes),
      });
    }

    console.log(
      formatVectorResults(rows, {
        rows: config.rows,
        clusters: config.clusters,
        queries: config.queries,
        clients: config.clients,
        seconds: config.seconds,
        buildMemoryMb: config.buildMemoryMb,
        loadMs,
      }),
    );
  } finally {
    await cacheServices.close();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
