import { type ResourcePolicy } from "../../auth/resource-policy";
import { Prisma } from "../../db/generated/client";
import { type DbClient } from "../../db/transaction";
import { queryRows } from "./query-rows";

export type RecordChangeAction = "create" | "update" | "delete" | "archive" | "restore";

/**
 * The INSERT that puts record changes on the outbox, for the change's own statement or
 * transaction: the change and its event commit together or not at all. `rows` is a relation with
 * the changed records' `id`, `owner_id` and `payload` (null for a delete). The event's payload is
 * `{action, id, record}`, so a subscriber filters on `payload.record.<field>`; it goes to whoever
 * may read the record (the dataset's policy and the record's owner).
 */
export function recordChangesSql(
  action: RecordChangeAction,
  dataset: { id: string; policy: ResourcePolicy },
  rows: Prisma.Sql,
): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO stream_outbox (topic, partition_key, event_id, event_time, owner_id, policy,
                               dataset_id, payload)
    SELECT 'records', changed.id::text, gen_random_uuid()::text, now(), changed.owner_id,
           ${dataset.policy}::text::"ResourcePolicy", ${dataset.id}::uuid,
           jsonb_build_object('action', ${action}::text, 'id', changed.id, 'record', changed.payload)
      FROM ${rows} AS changed`;
}

/** recordChangesSql as a statement of its own, inside the caller's transaction. */
export async function recordChanges(
  db: DbClient,
  action: RecordChangeAction,
  dataset: { id: string; policy: ResourcePolicy },
  rows: Prisma.Sql,
): Promise<void> {
  await queryRows(db, `lake_record_changes_${action}`, recordChangesSql(action, dataset, rows));
}

/** The changed rows of records by id, as recordChangesSql reads them. */
export const recordsById = (ids: string[]) =>
  Prisma.sql`(SELECT id, owner_id, payload FROM records WHERE id = ANY(${ids}::uuid[]))`;
