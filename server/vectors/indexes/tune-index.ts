import { type Database } from "../../db/client";
import { withQueryTimeout } from "../../db/query-timeout";
import {
  type VectorIndexMethod,
  type VectorMetric,
  type VectorType,
} from "../../db/generated/enums";
import { type AnnSettings } from "../search/run-search-sql";
import {
  buildProgress,
  countEmbeddings,
  createIndexSql,
  dropIndex,
  indexSize,
  nearestIds,
  newIndexName,
  sampleVectors,
} from "./index.queries";
import { type IndexParams } from "./index-state";
import {
  buildParams,
  HNSW_EF_SEARCH_RANGE,
  RECALL_AT,
  recallLowerBound,
  smallestReaching,
  type TuningOptions,
} from "./tuning-plan";

export type Progress = { phase: string; done: number; total: number };

export type TuneIndexOptions = {
  db: Database;
  type: VectorType;
  metric: VectorMetric;
  method: VectorIndexMethod;
  recallTarget: number;
  tuning: TuningOptions;
  /** Persists and publishes progress (it also renews the build's lease). */
  report: (progress: Progress) => Promise<void>;
};

/**
 * Builds (or rebuilds) the ANN index of one type and metric and tunes it to the recall target.
 * The caller holds the build's lease. Steps:
 * 1. count the type's embeddings; below `minRows` drop any index — search is exact;
 * 2. choose the build parameters (ivfflat lists from the row count; HNSW m, ef_construction);
 * 3. build the new index CONCURRENTLY under a fresh name, then swap: the state row points at it
 *    and the old index is dropped (searches never lack an index, and the planner never has two
 *    to choose from while recall is measured);
 * 4. measure recall@10 of sample queries (vectors drawn from the table) against exact search,
 *    and keep the smallest probes / ef_search reaching the target.
 */
export async function tuneIndex(options: TuneIndexOptions): Promise<void> {
  const { db, type, metric, method, tuning } = options;
  const where = { type_metric: { type, metric } };
  await options.report({ phase: "counting", done: 0, total: 1 });
  const rows = await countEmbeddings(db, type);
  // Fresh statistics, so the planner weighs the index against filters with real row counts
  // (autovacuum would get there eventually on a server; PGlite runs no autovacuum at all).
  await db.pool.query("ANALYZE record_embeddings, records");
  const previous = (await db.prisma.vectorIndex.findUniqueOrThrow({ where })).indexName;

  if (rows < tuning.minRows) {
    await db.prisma.vectorIndex.update({
      where,
      data: {
        method,
        recallTarget: options.recallTarget,
        indexName: null,
        params: {},
        measuredRecall: null,
        sizeBytes: null,
        rowsAtBuild: rows,
        builtAt: new Date(),
      },
    });
    if (previous) await dropIndex(db, previous);
    return;
  }

  const params = buildParams(method, rows, tuning);
  const name = newIndexName(type, metric, method);
  await build(options, createIndexSql({ name, type, metric, method, params }));
  // Until measured, a setting the pgvector docs suggest as a start; iterative scans cover filters.
  const interim: IndexParams =
    method === "ivfflat"
      ? { ...params, probes: Math.max(1, Math.ceil(Math.sqrt(params.lists!))) }
      : { ...params, ef_search: 40 };
  await db.prisma.vectorIndex.update({
    where,
    data: { method, indexName: name, params: interim },
  });
  if (previous) await dropIndex(db, previous);

  const measured = await measure(options, params, rows);
  await db.prisma.vectorIndex.update({
    where,
    data: {
      params: measured.params,
      recallTarget: options.recallTarget,
      measuredRecall: measured.recall,
      rowsAtBuild: rows,
      sizeBytes: await indexSize(db, name),
      builtAt: new Date(),
    },
  });
}

/**
 * CREATE INDEX on a connection of its own, with room to work: no statement timeout (a build of
 * millions of rows takes minutes) and more maintenance memory (HNSW slows down badly once its
 * graph outgrows it). The previous values are put back before the connection returns to the pool.
 * On a real server another connection polls the build's progress; PGlite has only the one.
 */
async function build(options: TuneIndexOptions, sql: string): Promise<void> {
  const { db } = options;
  await options.report({ phase: "building", done: 0, total: 0 });
  const client = await db.pool.connect();
  let poller: NodeJS.Timeout | undefined;
  try {
    const { rows } = await client.query<{ timeout: string; memory: string; pid: number }>(
      `SELECT current_setting('statement_timeout') AS timeout,
              current_setting('maintenance_work_mem') AS memory, pg_backend_pid() AS pid`,
    );
    const saved = rows[0]!;
    await client.query("SET statement_timeout = 0");
    const memoryMb = Math.max(64, Math.trunc(options.tuning.maintenanceWorkMemMb));
    await client.query(`SET maintenance_work_mem = '${memoryMb}MB'`);
    if (db.mode === "server") {
      poller = setInterval(() => {
        void buildProgress(db, saved.pid)
          .then(
            (progress) =>
              progress && options.report({ ...progress, phase: `building: ${progress.phase}` }),
          )
          .catch(() => undefined);
      }, 1_000);
    }
    try {
      // No client-side limit either: the pool's would give up on a long build.
      await client.query(withQueryTimeout({ text: sql }, 0));
    } finally {
      clearInterval(poller);
      await client.query(`SET statement_timeout = '${saved.timeout.replaceAll("'", "")}'`);
      await client.query(`SET maintenance_work_mem = '${saved.memory.replaceAll("'", "")}'`);
    }
  } catch (error) {
    client.release();
    // A failed CONCURRENTLY build leaves an invalid index behind.
    const name = /CONCURRENTLY "([^"]+)"/.exec(sql)?.[1];
    if (name) await dropIndex(db, name).catch(() => undefined);
    throw error;
  }
  client.release();
}

async function measure(
  options: TuneIndexOptions,
  params: IndexParams,
  rows: number,
): Promise<{ params: IndexParams; recall: number }> {
  const { db, type, metric, method } = options;
  const queries = await sampleVectors(db, type, Math.min(options.tuning.sampleQueries, rows));
  // Leave-one-out: a sample query is a row of the index, and the index finds a row's own vector
  // first almost for free, which would overstate recall for queries that are not in the table.
  // Each query's own record is left out of both its exact and its approximate neighbours.
  const neighbours = async (query: (typeof queries)[number], ann: AnnSettings) =>
    (await nearestIds(db, { type, metric, vector: query.vector, k: RECALL_AT + 1, ann }))
      .filter((id) => id !== query.recordId)
      .slice(0, RECALL_AT);
  const truth: string[][] = [];
  for (const [index, query] of queries.entries()) {
    await options.report({ phase: "exact search", done: index, total: queries.length });
    truth.push(await neighbours(query, { method: "exact" }));
  }
  const recalls = new Map<number, number>();
  const [min, max] =
    method === "ivfflat"
      ? [1, params.lists!]
      : [HNSW_EF_SEARCH_RANGE.min, HNSW_EF_SEARCH_RANGE.max];
  const evaluations = Math.ceil(Math.log2(max)) * 2 + 1;
  const recallAt = async (value: number): Promise<number> => {
    const known = recalls.get(value);
    if (known !== undefined) return known;
    await options.report({ phase: "measuring recall", done: recalls.size, total: evaluations });
    const ann: AnnSettings =
      method === "ivfflat" ? { method, probes: value } : { method, efSearch: value };
    let found = 0;
    let expected = 0;
    for (const [index, query] of queries.entries()) {
      const exact = truth[index]!;
      const approximate = new Set(await neighbours(query, ann));
      expected += exact.length;
      found += exact.filter((id) => approximate.has(id)).length;
    }
    const recall = expected === 0 ? 1 : found / expected;
    recalls.set(value, recall);
    return recall;
  };
  // The sample's recall is an estimate: a setting that just touches the target on 50 queries
  // falls short on others about half the time. So the target must hold for the estimate less its
  // sampling error (a one-sided 95 % bound), which is what users can count on for new queries.
  const neighbourSlots = queries.length * RECALL_AT;
  const { value } = await smallestReaching(min, max, async (v) => {
    const recall = await recallAt(v);
    return recallLowerBound(recall, neighbourSlots) >= options.recallTarget;
  });
  const recall = await recallAt(value);
  await options.report({ phase: "done", done: evaluations, total: evaluations });
  return {
    params: method === "ivfflat" ? { ...params, probes: value } : { ...params, ef_search: value },
    recall,
  };
}
