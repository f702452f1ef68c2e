import { randomUUID } from "node:crypto";

import { auditInsertSql, type AuditEntry } from "../../audit/record-audit";
import { type DbClient } from "../../db/transaction";
import { Prisma } from "../../db/generated/client";
import { type RecordViewRow } from "./records.schemas";
import { queryRows } from "./query-rows";

/**
 * Inserts records and their audit entries in one statement (a data-modifying CTE): one round trip
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
    ownerId: string;
    payloads: Record<string, unknown>[];
    audit: (id: string, payload: Record<string, unknown>) => AuditEntry;
  },
): Promise<RecordViewRow[]> {
  const ids = input.payloads.map(() => randomUUID());
  const audit = auditInsertSql(ids.map((id, i) => input.audit(id, input.payloads[i]!)));
  const statement = Prisma.sql`
    WITH created AS (
      INSERT INTO records (id, dataset_id, owner_id, payload, created_at, updated_at)
      SELECT id, ${input.datasetId}::uuid, ${input.ownerId}::uuid, payload, now(), now()
      FROM unnest(
        ${ids}::uuid[],
        ${input.payloads.map((payload) => JSON.stringify(payload))}::text[]::jsonb[]
      ) AS t(id, payload)
      RETURNING id, dataset_id AS "datasetId", owner_id AS "ownerId", payload, archived,
        archived_at AS "archivedAt", created_at AS "createdAt", updated_at AS "updatedAt"
    ), audited AS (${audit})
    SELECT * FROM created`;
  // One text for any number of records (arrays, unnest), so one prepared statement serves all.
  const rows = await queryRows<RecordViewRow>(db, "lake_insert_records_audited", statement);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => byId.get(id)!);
}
