import { type Database } from "../../../db/client";

/** A window as the tests compare them: the group's values in the rule's group_by order. */
export type ComparableWindow = {
  start: string;
  group: unknown[];
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  rejected: number;
};

type Row = Omit<ComparableWindow, "start" | "count" | "rejected"> & {
  start: Date;
  count: string;
  rejected: string;
};

const comparable = (rows: Row[]): ComparableWindow[] =>
  rows
    .map((row) => ({
      ...row,
      start: row.start.toISOString(),
      count: Number(row.count),
      rejected: Number(row.rejected),
    }))
    .sort(
      (a, b) =>
        a.start.localeCompare(b.start) ||
        JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)),
    );

/** What the engine stored for a rule. */
export async function storedWindows(db: Database, ruleId: string): Promise<ComparableWindow[]> {
  const { rows } = await db.pool.query<Row>(
    `SELECT w.window_start AS start,
            coalesce((SELECT jsonb_agg(w.group_values -> k ORDER BY n)
                        FROM unnest(r.group_by) WITH ORDINALITY AS g(k, n)), '[]') AS "group",
            w.count::text AS count, w.sum, w.min, w.max, w.rejected::text AS rejected
       FROM window_aggregates w JOIN aggregation_rules r ON r.id = w.rule_id
      WHERE w.rule_id = $1`,
    [ruleId],
  );
  return comparable(rows);
}

/**
 * The same rule's windows computed in one query over the stored events after `after`, leaving
 * out those recorded as late: the batch answer the engine's increments must equal. Written in
 * SQL on purpose, apart from the engine's code.
 */
export async function recomputeWindows(
  db: Database,
  ruleId: string,
  after: bigint,
): Promise<ComparableWindow[]> {
  const { rows } = await db.pool.query<Row>(
    `WITH r AS (SELECT * FROM aggregation_rules WHERE id = $1),
     e AS (
       SELECT to_timestamp(floor(extract(epoch FROM e.event_time) / r.window_seconds)
                           * r.window_seconds) AS start,
              coalesce((SELECT jsonb_agg(CASE WHEN k = 'partition_key' THEN to_jsonb(e.partition_key)
                                              ELSE coalesce(e.payload #> string_to_array(substr(k, 9), '.'), 'null')
                                         END ORDER BY n)
                          FROM unnest(r.group_by) WITH ORDINALITY AS g(k, n)), '[]') AS grp,
              CASE WHEN e.policy = 'user_data' THEN e.owner_id END AS owner,
              r.field IS NULL AS counting,
              e.payload #> string_to_array(substr(r.field, 9), '.') AS v
         FROM stream_events e, r
        WHERE e.topic = r.topic AND e."offset" > $2
          AND NOT EXISTS (SELECT 1 FROM window_late_events l
                           WHERE l.rule_id = r.id AND l."offset" = e."offset"))
     SELECT start, grp AS "group",
            count(*) FILTER (WHERE counting OR jsonb_typeof(v) = 'number')::text AS count,
            CASE WHEN bool_and(counting) THEN NULL
                 ELSE sum((v #>> '{}')::float8) FILTER (WHERE jsonb_typeof(v) = 'number') END AS sum,
            min((v #>> '{}')::float8) FILTER (WHERE jsonb_typeof(v) = 'number') AS min,
            max((v #>> '{}')::float8) FILTER (WHERE jsonb_typeof(v) = 'number') AS max,
            count(*) FILTER (WHERE NOT counting AND jsonb_typeof(v) IS DISTINCT FROM 'number')::text
              AS rejected
       FROM e GROUP BY start, grp, owner`,
    [ruleId, after.toString()],
  );
  return comparable(rows);
}
