import { publishedSql } from "../../data/records/published-records";
import { Prisma } from "../../db/generated/client";
import { type VectorType } from "../../db/generated/enums";
import { type DbClient } from "../../db/transaction";
import { parseVector, vectorLiteral } from "../metrics";

const PUBLISHED = Prisma.raw(publishedSql("r"));

// Prisma cannot read or write the `vector` column: these statements go through $queryRaw /
// $executeRaw with every value a bind parameter; vectors travel as pgvector's text form.

export type EmbeddingInput = {
  recordId: string;
  type: VectorType;
  /** The model that produced the vector. */
  model: string;
  /** VECTOR_DIMENSIONS finite numbers (vectorSchema checks them). */
  vector: readonly number[];
};

export type EmbeddingRow = {
  recordId: string;
  type: VectorType;
  model: string;
  vector: number[];
  createdAt: Date;
  updatedAt: Date;
};

/** Inserts or replaces one embedding per (record, type), in one statement. */
export function upsertEmbeddingRows(
  db: DbClient,
  rows: readonly EmbeddingInput[],
): Promise<number> {
  return db.prisma.$executeRaw`
    INSERT INTO record_embeddings (record_id, type, model, embedding, created_at, updated_at)
    SELECT u.record_id, u.type::"VectorType", u.model, u.embedding::vector, now(), now()
    FROM unnest(
      ${rows.map((row) => row.recordId)}::uuid[],
      ${rows.map((row) => row.type)}::text[],
      ${rows.map((row) => row.model)}::text[],
      ${rows.map((row) => vectorLiteral(row.vector))}::text[]
    ) AS u(record_id, type, model, embedding)
    ON CONFLICT (record_id, type) DO UPDATE
      SET model = EXCLUDED.model, embedding = EXCLUDED.embedding, updated_at = now()`;
}

/** A record's embeddings (one type, or all), in type order. */
export async function selectEmbeddingRows(
  db: DbClient,
  recordId: string,
  type?: VectorType,
): Promise<EmbeddingRow[]> {
  const rows = await db.prisma.$queryRaw<(Omit<EmbeddingRow, "vector"> & { vector: string })[]>`
    SELECT record_id AS "recordId", type::text AS type, model, embedding::text AS vector,
           created_at AS "createdAt", updated_at AS "updatedAt"
    FROM record_embeddings
    WHERE record_id = ${recordId}::uuid AND (${type ?? null}::text IS NULL OR type::text = ${type ?? null}::text)
    ORDER BY type`;
  return rows.map((row) => ({ ...row, vector: parseVector(row.vector) }));
}

/** Removes one embedding; the number removed (0 or 1). */
export function deleteEmbeddingRow(
  db: DbClient,
  recordId: string,
  type: VectorType,
): Promise<number> {
  return db.prisma.$executeRaw`
    DELETE FROM record_embeddings WHERE record_id = ${recordId}::uuid AND type::text = ${type}::text`;
}

export type EmbeddingPageRow = Omit<EmbeddingRow, "vector"> & {
  vector: string | null;
  record: {
    id: string;
    datasetId: string;
    ownerId: string;
    payload: unknown;
    archived: boolean;
    archivedAt: Date | null;
    createdAt: Date;
    updatedAt: Date;
  };
};

/**
 * Up to `limit` embeddings of one type after the record id `after`, in record id order, with their
 * records, of non-archived records `visibleTo` may read: its own and the analytics datasets'
 * (null: everyone's, for admins) — the rule similarity search applies (search.queries.ts).
 */
export function selectEmbeddingPage(
  db: DbClient,
  options: {
    type: VectorType;
    visibleTo: string | null;
    after: string | null;
    limit: number;
    withVectors: boolean;
  },
): Promise<EmbeddingPageRow[]> {
  const { type, visibleTo, after, limit, withVectors } = options;
  return db.prisma.$queryRaw<EmbeddingPageRow[]>`
    SELECT e.record_id AS "recordId", e.type::text AS type, e.model,
           CASE WHEN ${withVectors} THEN e.embedding::text END AS vector,
           e.created_at AS "createdAt", e.updated_at AS "updatedAt",
           json_build_object('id', r.id, 'datasetId', r.dataset_id, 'ownerId', r.owner_id,
             'payload', r.payload, 'archived', r.archived, 'archivedAt', r.archived_at,
             'createdAt', r.created_at, 'updatedAt', r.updated_at) AS record
    FROM record_embeddings e JOIN records r ON r.id = e.record_id
    WHERE e.type::text = ${type}::text AND NOT r.archived AND ${PUBLISHED}
      AND (${after}::uuid IS NULL OR e.record_id > ${after}::uuid)
      AND (${visibleTo}::uuid IS NULL OR r.owner_id = ${visibleTo}::uuid
           OR r.dataset_id IN (SELECT d.id FROM datasets d WHERE d.policy = 'analytics'))
    ORDER BY e.record_id
    LIMIT ${limit}`;
}
