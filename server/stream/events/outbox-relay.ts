import { type Database } from "../../db/client";
import { Prisma } from "../../db/generated/client";
import { inPoolTransaction } from "../../db/pool-transaction";
import { type StoredEvent } from "./stream-event";

type MovedRow = Omit<StoredEvent, "eventTime" | "storedAt"> & { eventTime: Date; storedAt: Date };

/**
 * Moves up to `limit` record changes from the outbox into the log: they leave the outbox exactly
 * when they get their offsets. The log's head is locked first, so relays on several instances
 * take turns and the outbox is emptied in its own order — one record's update never lands in the
 * log before its create.
 */
export async function relayOutbox(db: Database, limit: number): Promise<StoredEvent[]> {
  const { rows: waiting } = await db.pool.query<{ waiting: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM stream_outbox) AS waiting",
  );
  if (!waiting[0]?.waiting) return [];
  const { text, values } = Prisma.sql`
      WITH moved AS (
        DELETE FROM stream_outbox WHERE id IN (
          SELECT id FROM stream_outbox ORDER BY id LIMIT ${limit} FOR UPDATE
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
                owner_id AS "ownerId", policy::text AS policy, dataset_id AS "datasetId", payload`;
  const rows = await inPoolTransaction(db.pool, async (tx) => {
    await tx.query("SELECT head FROM stream_log WHERE id = 1 FOR UPDATE");
    return (await tx.query<MovedRow>(text, values)).rows;
  });
  return rows
    .map((row) => ({
      ...row,
      eventTime: row.eventTime.toISOString(),
      storedAt: row.storedAt.toISOString(),
    }))
    .sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}
