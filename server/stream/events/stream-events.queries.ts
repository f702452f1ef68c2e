import { type DbClient } from "../../db/transaction";
import { Prisma } from "../../db/generated/client";
import { queryRows } from "../../data/records/query-rows";
import { type NewStreamEvent, type StoredEvent } from "./stream-event";
import { type Topic } from "./topics";
import { payloadJson } from "./payload-json";

type AppendedRow = {
  base: string | null;
  storedAt: Date;
  /** Events stored before: [input position (1-based), offset, stored_at]. */
  seen: [number, string, string][];
};

/**
 * Appends events in one statement and returns, in input order, each one's offset and whether it
 * was stored before (same owner and event id: a producer's retry). The UPDATE of stream_log takes
 * the log's row lock, so offsets are handed out without gaps and in commit order: a reader that
 * has seen offset n has seen everything before it. Event ids must be unique within `events`.
 *
 * Two concurrent appends of one new event id both find it absent; the second then fails on the
 * unique index (23505), and a retry of the statement sees the first's row (appendEvents).
 */
function appendStatement(events: NewStreamEvent[]): Prisma.Sql {
  const column = <K extends keyof NewStreamEvent>(key: K) => events.map((event) => event[key]);
  return Prisma.sql`
    WITH input AS (
      SELECT * FROM unnest(
        ${column("topic")}::text[], ${column("partitionKey")}::text[], ${column("eventId")}::text[],
        ${column("eventTime")}::text[]::timestamptz[], ${column("ownerId")}::uuid[],
        ${column("policy")}::text[]::"ResourcePolicy"[], ${column("datasetId")}::uuid[],
        ${events.map((event) => payloadJson(event.payload))}::text[]
      ) WITH ORDINALITY AS t(topic, partition_key, event_id, event_time, owner_id, policy,
                             dataset_id, payload, n)
    ), seen AS (
      SELECT input.n, stored.offset, stored.stored_at FROM input
      JOIN stream_events stored USING (owner_id, event_id)
    ), fresh AS (
      SELECT input.*, row_number() OVER (ORDER BY input.n) AS k FROM input
      WHERE input.n NOT IN (SELECT n FROM seen)
    ), head AS (
      UPDATE stream_log SET head = head + (SELECT count(*) FROM fresh) WHERE id = 1
      RETURNING head - (SELECT count(*) FROM fresh) AS base
    ), inserted AS (
      INSERT INTO stream_events ("offset", topic, partition_key, event_id, event_time, owner_id,
                                 policy, dataset_id, payload)
      -- The payload arrives as text and is parsed row by row: casting the whole text[] to
      -- jsonb[] costs several times as much (bench:stream).
      SELECT head.base + fresh.k, topic, partition_key, event_id, event_time, owner_id, policy,
             dataset_id, payload::jsonb
      FROM fresh, head
    )
    -- One row, not one per event: the new events' offsets follow from the base (the k-th new
    -- event in input order has base + k), stored_at defaults to the transaction's time as now()
    -- is, and only the events stored before come with their own.
    SELECT (SELECT base FROM head)::text AS base, now()::timestamptz(3) AS "storedAt",
           coalesce((SELECT json_agg(json_build_array(n, "offset"::text, stored_at)) FROM seen),
                    '[]') AS seen`;
}

export type AppendResult = { offset: string; duplicate: boolean; storedAt: string };

export async function appendEvents(
  db: DbClient,
  events: NewStreamEvent[],
): Promise<AppendResult[]> {
  if (events.length === 0) return [];
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await queryRows<AppendedRow>(db, "lake_append_events", appendStatement(events));
      if (!row?.base) throw new Error("The event log has no head row (stream_log id 1).");
      const seen = new Map(row.seen.map(([n, offset, storedAt]) => [n - 1, { offset, storedAt }]));
      const storedAt = row.storedAt.toISOString();
      let next = BigInt(row.base);
      return events.map((_, index) => {
        const before = seen.get(index);
        if (before) {
          return {
            offset: before.offset,
            duplicate: true,
            storedAt: new Date(before.storedAt).toISOString(),
          };
        }
        next += 1n;
        return { offset: next.toString(), duplicate: false, storedAt };
      });
    } catch (error) {
      const concurrentDuplicate =
        (error as { code?: string }).code === "23505" ||
        (error as { meta?: { code?: string } }).meta?.code === "23505";
      if (!concurrentDuplicate || attempt === 3) throw error;
    }
  }
}

type EventRow = {
  offset: string;
  topic: Topic;
  partitionKey: string;
  eventId: string;
  /** Epoch milliseconds (EVENT_COLUMNS); float8 arrives as text from a server, a number from PGlite. */
  eventTime: number | string;
  storedAt: number | string;
  ownerId: string;
  policy: StoredEvent["policy"];
  datasetId: string | null;
  payload: Record<string, unknown>;
};

/**
 * A stored event's columns, its times as epoch milliseconds: reading a timestamptz's text and
 * parsing it was the largest cost of reading events back (the window engine reads every event
 * of its topics: bench:stream). The times are whole milliseconds (timestamptz(3)).
 */
const EVENT_COLUMNS = Prisma.sql`"offset"::text AS "offset", topic, partition_key AS "partitionKey",
  event_id AS "eventId", (extract(epoch FROM event_time) * 1000)::float8 AS "eventTime",
  (extract(epoch FROM stored_at) * 1000)::float8 AS "storedAt", owner_id AS "ownerId",
  policy::text AS policy, dataset_id AS "datasetId", payload`;

// Field by field rather than a spread of the row: readers take thousands of events a second.
const toStoredEvent = (row: EventRow): StoredEvent => ({
  offset: row.offset,
  topic: row.topic,
  partitionKey: row.partitionKey,
  eventId: row.eventId,
  eventTime: new Date(Number(row.eventTime)).toISOString(),
  storedAt: new Date(Number(row.storedAt)).toISOString(),
  ownerId: row.ownerId,
  policy: row.policy,
  datasetId: row.datasetId,
  payload: row.payload,
});

/** Up to `limit` events after `offset`, in order; `topics` narrows them (the index serves it). */
export async function selectEventsAfter(
  db: DbClient,
  options: { after: string; limit: number; topics?: readonly string[] },
): Promise<StoredEvent[]> {
  const topics = options.topics ? [...options.topics] : null;
  const rows = await queryRows<EventRow>(
    db,
    "lake_events_after",
    Prisma.sql`
      SELECT ${EVENT_COLUMNS}
        FROM stream_events
       WHERE "offset" > ${options.after}::bigint
         AND (${topics}::text[] IS NULL OR topic = ANY(${topics}::text[]))
       -- The table's column: the output column of that name is text, which sorts 10 before 9.
       ORDER BY stream_events."offset"
       LIMIT ${options.limit}`,
  );
  return rows.map(toStoredEvent);
}

/**
 * The last offset given out, the first still kept (retention trims from the start), and `at`:
 * the database's time (ms) when the statement's transaction began, which is before its snapshot —
 * every event committed before `at` is at or before `head`.
 */
export async function selectLogBounds(
  db: DbClient,
): Promise<{ head: string; first: string; at: number }> {
  const [row] = await queryRows<{ head: string; first: string | null; at: string }>(
    db,
    "lake_log_bounds",
    Prisma.sql`
      SELECT head::text AS head, (SELECT min("offset") FROM stream_events)::text AS first,
             floor(extract(epoch FROM now()) * 1000)::bigint::text AS at
        FROM stream_log WHERE id = 1`,
  );
  const head = row?.head ?? "0";
  return {
    head,
    first: row?.first ?? (BigInt(head) + 1n).toString(),
    at: row ? Number(row.at) : Date.now(),
  };
}

/** Deletes events stored before `cutoff`, at most `limit` at a time; returns how many. */
export async function deleteEventsBefore(
  db: DbClient,
  options: { cutoff: Date; limit: number },
): Promise<number> {
  const rows = await queryRows<{ count: string }>(
    db,
    "lake_trim_events",
    Prisma.sql`
      WITH doomed AS (
        SELECT "offset" FROM stream_events WHERE stored_at < ${options.cutoff}
        ORDER BY "offset" LIMIT ${options.limit}
      ), deleted AS (
        DELETE FROM stream_events WHERE "offset" IN (SELECT "offset" FROM doomed) RETURNING 1
      )
      SELECT count(*)::text AS count FROM deleted`,
  );
  return Number(rows[0]?.count ?? 0);
}

/**
 * Up to `limit` events of `topic` whose event time is in [from, to), after `after`, in offset
 * order: a window's events, for recomputing it (a scan of the topic's rows; on demand only).
 */
export async function selectEventsInTimeRange(
  db: DbClient,
  options: { topic: string; from: Date; to: Date; after: string; limit: number },
): Promise<StoredEvent[]> {
  const rows = await queryRows<EventRow>(
    db,
    "lake_events_in_time_range",
    Prisma.sql`
      SELECT ${EVENT_COLUMNS}
        FROM stream_events
       WHERE topic = ${options.topic} AND "offset" > ${options.after}::bigint
         AND event_time >= ${options.from} AND event_time < ${options.to}
       ORDER BY stream_events."offset"
       LIMIT ${options.limit}`,
  );
  return rows.map(toStoredEvent);
}
