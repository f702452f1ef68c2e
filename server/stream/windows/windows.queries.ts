import type pg from "pg";

import { type Database } from "../../db/client";
import { Prisma } from "../../db/generated/client";
import { inPoolTransaction } from "../../db/pool-transaction";
import { type ClosedWindow, type LateEvents } from "./window-store";
import { type StoredWindow } from "./stored-window";

/** The owner of an analytics window's event in the log, whose owner column cannot be empty. */
export const NO_OWNER = "00000000-0000-0000-0000-000000000000";

const MEMORY_CHECKPOINT = "memory";
/** Times in events as every other event has them: ISO 8601 in UTC with milliseconds. */
const ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

async function run(client: pg.PoolClient, sql: Prisma.Sql) {
  await client.query(sql.text, sql.values);
}

/**
 * Writes closed windows once each — a window another worker stored already, or of a rule deleted
 * meanwhile, is skipped — and returns those it wrote.
 */
function insertWindows(windows: ClosedWindow[]): Prisma.Sql {
  const column = <T>(pick: (window: ClosedWindow) => T) => windows.map(pick);
  return Prisma.sql`
    INSERT INTO window_aggregates (rule_id, window_start, window_end, group_key, group_values,
                                   owner_id, policy, count, sum, min, max, rejected)
    -- A count-only rule has no numbers to report beyond its count.
    SELECT i.rule_id, i.window_start, i.window_end, i.group_key, i.group_values::jsonb,
           i.owner_id, i.policy::"ResourcePolicy", i.count,
           CASE WHEN r.field IS NULL THEN NULL ELSE i.sum END,
           CASE WHEN r.field IS NULL THEN NULL ELSE i.min END,
           CASE WHEN r.field IS NULL THEN NULL ELSE i.max END, i.rejected
      FROM unnest(
        ${column((w) => w.ruleId)}::uuid[],
        ${column((w) => new Date(w.start).toISOString())}::timestamptz[],
        ${column((w) => new Date(w.end).toISOString())}::timestamptz[],
        ${column((w) => w.groupKey)}::text[], ${column((w) => JSON.stringify(w.groupValues))}::text[],
        ${column((w) => w.ownerId)}::uuid[], ${column((w) => w.policy)}::text[],
        ${column((w) => w.count)}::bigint[], ${column((w) => w.sum)}::float8[],
        ${column((w) => w.min)}::float8[], ${column((w) => w.max)}::float8[],
        ${column((w) => w.rejected)}::bigint[]
      ) AS i(rule_id, window_start, window_end, group_key, group_values, owner_id, policy, count,
             sum, min, max, rejected)
      JOIN aggregation_rules r ON r.id = i.rule_id
    ON CONFLICT (rule_id, window_start, group_key) DO NOTHING
    RETURNING id::text AS id, rule_id AS "ruleId", window_start AS start, window_end AS "end",
              group_key AS "groupKey", group_values AS "groupValues", owner_id AS "ownerId",
              policy::text AS policy, count::text AS count, sum, min, max`;
}

/** Each newly stored window on the `windows` topic: in its transaction, so never lost or doubled. */
const announceWindows = (ids: string[]) => Prisma.sql`
  INSERT INTO stream_outbox (topic, partition_key, event_id, event_time, owner_id, policy, payload)
  SELECT 'windows', r.name, 'window:' || w.id, w.window_end,
         coalesce(w.owner_id, ${NO_OWNER}::uuid), w.policy,
         jsonb_build_object(
           'rule_id', r.id, 'rule', r.name,
           'window_start', to_char(w.window_start AT TIME ZONE 'UTC', ${ISO_UTC}),
           'window_end', to_char(w.window_end AT TIME ZONE 'UTC', ${ISO_UTC}),
           'group', w.group_values, 'count', w.count,
           'sum', w.sum, 'avg', CASE WHEN w.count > 0 THEN w.sum / w.count END,
           'min', w.min, 'max', w.max, 'rejected', w.rejected)
    FROM window_aggregates w JOIN aggregation_rules r ON r.id = w.rule_id
   WHERE w.id = ANY(${ids}::bigint[])
   ORDER BY w.id`;

type InsertedRow = Omit<StoredWindow, "start" | "end" | "count"> & {
  id: string;
  start: Date;
  end: Date;
  count: string;
};

function insertLate(late: LateEvents[]): Prisma.Sql {
  const rows = late.flatMap((entry) => entry.offsets.map((offset) => ({ ...entry, offset })));
  return Prisma.sql`
    INSERT INTO window_late_events (rule_id, "offset", window_start, group_key)
    SELECT t.rule_id, t.offset, t.window_start, t.group_key
      FROM unnest(${rows.map((r) => r.ruleId)}::uuid[], ${rows.map((r) => r.offset)}::bigint[],
                  ${rows.map((r) => new Date(r.start).toISOString())}::timestamptz[],
                  ${rows.map((r) => r.groupKey)}::text[]) AS t(rule_id, "offset", window_start, group_key)
      JOIN aggregation_rules r ON r.id = t.rule_id
    ON CONFLICT DO NOTHING`;
}

/** Work done with newly stored windows in their transaction (alert evaluation). */
export type WindowsStoredHook = (client: pg.PoolClient, windows: StoredWindow[]) => Promise<void>;

/**
 * Stores what a close step found, in one transaction: the windows (and their announcements, and
 * whatever `onStored` does with them), the late events, and — for the in-process store — its
 * checkpoint as it stands once they are gone.
 */
export async function storeClosedWindows(
  db: Database,
  options: {
    windows: ClosedWindow[];
    late: LateEvents[];
    checkpoint?: unknown;
    onStored?: WindowsStoredHook;
  },
): Promise<void> {
  await inPoolTransaction(db.pool, async (client) => {
    if (options.windows.length > 0) {
      const insert = insertWindows(options.windows);
      const { rows } = await client.query<InsertedRow>(insert.text, insert.values);
      if (rows.length > 0) {
        await run(client, announceWindows(rows.map((row) => row.id)));
        await options.onStored?.(
          client,
          rows.map(({ id: _id, ...row }) => ({
            ...row,
            start: row.start.getTime(),
            end: row.end.getTime(),
            count: Number(row.count),
          })),
        );
      }
    }
    if (options.late.length > 0) await run(client, insertLate(options.late));
    if (options.checkpoint !== undefined) {
      await run(
        client,
        Prisma.sql`
          INSERT INTO window_checkpoints (id, state, updated_at)
          VALUES (${MEMORY_CHECKPOINT}, ${JSON.stringify(options.checkpoint)}::jsonb, now())
          ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = now()`,
      );
    }
  });
}

/** The in-process store's last checkpoint, if it wrote one. */
export async function loadWindowCheckpoint(db: Database): Promise<unknown> {
  const { rows } = await db.pool.query<{ state: unknown }>(
    "SELECT state FROM window_checkpoints WHERE id = $1",
    [MEMORY_CHECKPOINT],
  );
  return rows[0]?.state;
}
