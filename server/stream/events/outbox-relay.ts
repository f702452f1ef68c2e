import { Prisma } from "../../db/generated/client";
import { type DbClient } from "../../db/transaction";
import { queryRows } from "../../data/records/query-rows";
import { type StoredEvent } from "./stream-event";

type MovedRow = Omit<StoredEvent, "eventTime" | "storedAt"> & { eventTime: Date; storedAt: Date };

/**
 * Moves up to `limit` record changes from the outbox into the log, in one statement: they leave
 * the outbox exactly when they get their offsets. Relays on several instances take disjoint rows
 * (SKIP LOCKED) and then take turns on the log's head like any append.
 */
export async function relayOutbox(db: DbClient, limit: number): Promise<StoredEvent[]> {
  const [waiting] = await queryRows<{ waiting: boolean }>(
    db,
    "lake_outbox_waiting",
    Prisma.sql`SELECT EXISTS (SELECT 1 FROM stream_outbox) AS waiting`,
  );
  if (!waiting?.waiting) return [];
  const rows = await queryRows<MovedRow>(
    db,
    "lake_relay_outbox",
    Prisma.sql`
      WITH moved AS (
        DELETE FROM stream_outbox WHERE id IN (
          SELECT id FROM stream_outbox ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED
        )
        RETURNING id, topic, partition_key, event_id, event_time, owner_id, policy, dataset_id,
                  payload
      ), numbered AS (
        SELECT moved.*, row_number() OVER (ORDER BY moved.id) AS k FROM moved
      ), head AS (
        UPDATE stream_log SET head = head + (SELECT count(*) FROM moved) WHERE id = 1
        RETURNING head - (SELECT count(*) FROM moved) AS base
      )
      INSERT INTO stream_events ("offset", topic, partition_key, event_id, event_time, owner_id,
                                 policy, dataset_id, payload)
      SELECT head.base + numbered.k, topic, partition_key, event_id, event_time, owner_id,
             policy, dataset_id, payload
        FROM numbered, head
      RETURNING "offset"::text AS "offset", topic, partition_key AS "partitionKey",
                event_id AS "eventId", event_time AS "eventTime", stored_at AS "storedAt",
                owner_id AS "ownerId", policy::text AS policy, dataset_id AS "datasetId", payload`,
  );
  return rows
    .map((row) => ({
      ...row,
      eventTime: row.eventTime.toISOString(),
      storedAt: row.storedAt.toISOString(),
    }))
    .sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}
