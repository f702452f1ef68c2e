import { v7 as uuidv7 } from "uuid";

import { auditInsertSql } from "../../audit/audit.queries";
import { type AuditEntry } from "../../audit/record-audit";
import { type DbClient } from "../../db/transaction";
import { Prisma, type Dataset } from "../../db/generated/client";
import { type RecordViewRow } from "./records.schemas";
import { queryRows } from "./query-rows";
import { publishedSql } from "./published-records";
import { recordChangesSql } from "./record-changes";

const PUBLISHED = Prisma.raw(publishedSql("r"));

/**
 * Inserts records, their audit entries and their change events (on the stream outbox) in one
 * statement (a data-modifying CTE): one round trip
 * instead of BEGIN, two INSERTs and COMMIT, and as atomic. Ids are made here, so the audit rows
 * need nothing back from the insert and the rows come back in the caller's order.
 *
 * Outside a transaction (a plain POST) it goes straight to the pool as a prepared statement; inside
 * a caller's (batch, Idempotency-Key) through Prisma's transaction client (see query-rows.ts).
 */
export async function insertRecordsAudited(
  db: DbClient,
  input: {
    datasetId: string;
    /** The dataset's policy, which decides who receives the records' change events. */
    policy: Dataset["policy"];
    ownerId: string;
    payloads: Record<string, unknown>[];
    audit: (id: string, payload: Record<string, unknown>) => AuditEntry;
  },
): Promise<RecordViewRow[]> {
  // Time-ordered, like the column's default (lake_uuidv7): new keys append to the index.
  const ids = input.payloads.map(() => uuidv7());
  const audit = auditInsertSql(ids.map((id, i) => input.audit(id, input.payloads[i]!)));
  const statement = Prisma.sql`
    WITH created AS (
      INSERT INTO records (id, dataset_id, owner_id, payload, created_at, updated_at)
      -- Parsed row by row: a cast of the whole text[] to jsonb[] costs several times as much.
      SELECT id, ${input.datasetId}::uuid, ${input.ownerId}::uuid, payload::jsonb, now(), now()
      FROM unnest(
        ${ids}::uuid[],
        ${input.payloads.map((payload) => JSON.stringify(payload))}::text[]
      ) AS t(id, payload)
      RETURNING id, dataset_id AS "datasetId", owner_id AS "ownerId", payload, archived,
        archived_at AS "archivedAt", created_at AS "createdAt", updated_at AS "updatedAt"
    ), audited AS (${audit}
    ), changed AS (${recordChangesSql(
      "create",
      { id: input.datasetId, policy: input.policy },
      Prisma.sql`(SELECT id, "ownerId" AS owner_id, payload FROM created)`,
    )})
    SELECT * FROM created`;
  // One text for any number of records (arrays, unnest), so one prepared statement serves all.
  const rows = await queryRows<RecordViewRow>(db, "lake_insert_records_audited", statement);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)!);
}

export type RecordWithDatasetRow = RecordViewRow & {
  datasetPolicy: Dataset["policy"];
  datasetJsonSchema: Dataset["jsonSchema"];
  datasetUpdatedAt: Date;
};

/** A record with what its dataset decides about it (policy, schema), in one statement. */
export async function selectRecordWithDataset(
  db: DbClient,
  id: string,
): Promise<RecordWithDatasetRow | undefined> {
  const [row] = await queryRows<RecordWithDatasetRow>(
    db,
    "lake_load_accessible_record",
    Prisma.sql`
      SELECT r.id, r.dataset_id AS "datasetId", r.owner_id AS "ownerId", r.payload, r.archived,
        r.archived_at AS "archivedAt", r.created_at AS "createdAt", r.updated_at AS "updatedAt",
        d.policy::text AS "datasetPolicy", d.json_schema AS "datasetJsonSchema",
        d.updated_at AS "datasetUpdatedAt"
      FROM records r JOIN datasets d ON d.id = r.dataset_id
      WHERE r.id = ${id}::uuid AND ${PUBLISHED}`,
  );
  return row;
}

/** When a record and its dataset last changed. */
export async function selectRecordVersions(
  db: DbClient,
  id: string,
): Promise<{ updatedAt: Date; datasetUpdatedAt: Date } | undefined> {
  const [row] = await queryRows<{ updatedAt: Date; datasetUpdatedAt: Date }>(
    db,
    "lake_record_versions",
    Prisma.sql`
      SELECT r.updated_at AS "updatedAt", d.updated_at AS "datasetUpdatedAt"
      FROM records r JOIN datasets d ON d.id = r.dataset_id
      WHERE r.id = ${id}::uuid AND ${PUBLISHED}`,
  );
  return row;
}
