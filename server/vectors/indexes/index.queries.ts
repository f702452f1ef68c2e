import { randomBytes } from "node:crypto";

import type pg from "pg";

import { type Database } from "../../db/client";
import { inPoolTransaction } from "../../db/pool-transaction";
import {
  type VectorIndexMethod,
  type VectorMetric,
  type VectorType,
} from "../../db/generated/enums";
import { METRIC_SQL, parseVector, typeLiteral, vectorLiteral } from "../metrics";
import { type AnnSettings } from "../search/run-search-sql";
import { type IndexParams } from "./index-state";

// Index DDL cannot take bind parameters: names, opclasses and numbers are spliced in, but only
// from closed vocabularies (metrics.ts), integers, and names generated below.

const NAME = /^rec_emb_[a-z]+_[a-z0-9_]+_(ivfflat|hnsw)_[0-9a-f]{8}$/;

/** A fresh name per build, so the new index can be built next to the one it replaces. */
export function newIndexName(type: VectorType, metric: VectorMetric, method: VectorIndexMethod) {
  return `rec_emb_${type.toLowerCase()}_${metric}_${method}_${randomBytes(4).toString("hex")}`;
}

function checkedName(name: string): string {
  if (!NAME.test(name)) throw new Error(`not an index name of ours: ${name}`);
  return `"${name}"`;
}

export async function countEmbeddings(db: Database, type: VectorType): Promise<number> {
  const { rows } = await db.pool.query<{ n: string }>(
    `SELECT count(*)::bigint AS n FROM record_embeddings e WHERE e.type = ${typeLiteral(type)}`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Embeddings per vector type, across all records (types with none are absent). */
export async function countEmbeddingsByType(db: Database): Promise<Map<VectorType, number>> {
  const { rows } = await db.pool.query<{ type: VectorType; n: string }>(
    `SELECT e.type::text AS type, count(*)::bigint AS n FROM record_embeddings e GROUP BY e.type`,
  );
  return new Map(rows.map((row) => [row.type, Number(row.n)]));
}

/**
 * A partial ANN index over one type's embeddings. CONCURRENTLY: writes go on during the build
 * (PGlite accepts it too; there every statement waits for the one session anyway).
 */
export function createIndexSql(options: {
  name: string;
  type: VectorType;
  metric: VectorMetric;
  method: VectorIndexMethod;
  params: IndexParams;
}): string {
  const { opclass } = METRIC_SQL[options.metric];
  const int = (value: number | undefined) => Math.max(1, Math.trunc(value ?? 1));
  const withClause =
    options.method === "ivfflat"
      ? `lists = ${int(options.params.lists)}`
      : `m = ${int(options.params.m)}, ef_construction = ${int(options.params.ef_construction)}`;
  return (
    `CREATE INDEX CONCURRENTLY ${checkedName(options.name)} ON record_embeddings ` +
    `USING ${options.method} ((embedding) ${opclass}) WITH (${withClause}) ` +
    `WHERE type = ${typeLiteral(options.type)}`
  );
}

export async function dropIndex(db: Database, name: string): Promise<void> {
  await db.pool.query(`DROP INDEX CONCURRENTLY IF EXISTS ${checkedName(name)}`);
}

export async function indexSize(db: Database, name: string): Promise<number | null> {
  const { rows } = await db.pool.query<{ size: string | null }>(
    "SELECT pg_relation_size(to_regclass($1)) AS size",
    [name],
  );
  return rows[0]?.size === null || rows[0]?.size === undefined ? null : Number(rows[0].size);
}

/** Up to `count` stored vectors of the type and their records, drawn at random: tuning's sample. */
export async function sampleVectors(db: Database, type: VectorType, count: number) {
  const { rows } = await db.pool.query<{ id: string; v: string }>(
    `SELECT record_id AS id, embedding::text AS v FROM record_embeddings e
     WHERE e.type = ${typeLiteral(type)} ORDER BY random() LIMIT $1`,
    [count],
  );
  return rows.map((row) => ({ recordId: row.id, vector: parseVector(row.v) }));
}

/**
 * The ids of the k nearest embeddings, exact (an ordering no index can serve) or through the
 * ANN index alone (seq scans off, iterative scans off): what recall@k compares.
 */
export async function nearestIds(
  db: Database,
  options: {
    type: VectorType;
    metric: VectorMetric;
    vector: readonly number[];
    k: number;
    ann: AnnSettings;
  },
): Promise<string[]> {
  const { operator } = METRIC_SQL[options.metric];
  const distance = `e.embedding ${operator} $1::vector`;
  const exact = options.ann.method === "exact";
  const text =
    `SELECT e.record_id AS id FROM record_embeddings e WHERE e.type = ${typeLiteral(options.type)} ` +
    `ORDER BY ${exact ? `(${distance}) + 0` : distance} LIMIT $2::int`;
  return withSettings(db, options.ann, async (client) => {
    const { rows } = await client.query<{ id: string }>(text, [
      vectorLiteral(options.vector),
      options.k,
    ]);
    return rows.map((row) => row.id);
  });
}

async function withSettings<T>(
  db: Database,
  ann: AnnSettings,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return inPoolTransaction(
    db.pool,
    async (client) => {
      if (ann.method !== "exact") await client.query("SET LOCAL enable_seqscan = off");
      if (ann.method === "ivfflat") {
        await client.query(`SET LOCAL ivfflat.probes = ${Math.trunc(ann.probes)}`);
        await client.query("SET LOCAL ivfflat.iterative_scan = off");
      } else if (ann.method === "hnsw") {
        await client.query(`SET LOCAL hnsw.ef_search = ${Math.trunc(ann.efSearch)}`);
        await client.query("SET LOCAL hnsw.iterative_scan = off");
      }
      return fn(client);
    },
    { readOnly: true },
  );
}

/** pg_stat_progress_create_index of one backend: how far a build on a real server is. */
export async function buildProgress(
  db: Database,
  pid: number,
): Promise<{ phase: string; done: number; total: number } | undefined> {
  const { rows } = await db.pool.query<{ phase: string; done: string; total: string }>(
    `SELECT phase,
            CASE WHEN tuples_total > 0 THEN tuples_done ELSE blocks_done END AS done,
            CASE WHEN tuples_total > 0 THEN tuples_total ELSE blocks_total END AS total
     FROM pg_stat_progress_create_index WHERE pid = $1`,
    [pid],
  );
  const row = rows[0];
  return row ? { phase: row.phase, done: Number(row.done), total: Number(row.total) } : undefined;
}
