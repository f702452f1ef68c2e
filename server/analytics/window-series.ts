import { z } from "zod";

import { authorize } from "../auth/authorize";
import { isAdmin } from "../auth/principal";
import { Prisma } from "../db/generated/client";
import { queryRows } from "../data/records/query-rows";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { type ServiceContext } from "../service-context";
import { WINDOW_FUNCTIONS } from "../stream/windows/aggregation-rule.schemas";
import { findAggregationRule } from "../stream/windows/get-aggregation-rule";
import { type WindowSeries } from "./analytics.schemas";
import { timeRangeSchema, toTimeRange } from "./time-range.schemas";

export const windowSeriesQuerySchema = z
  .object({
    rule: z.string().min(1).max(200).describe("The aggregation rule (id or name)."),
    function: z.enum(WINDOW_FUNCTIONS),
    group_by: z
      .string()
      .optional()
      .describe(
        "Comma-separated keys of the rule's group_by to keep (the others are merged); " +
          "omitted: every key; empty: one series.",
      ),
  })
  .and(timeRangeSchema);

type Row = {
  bucket: Date;
  grp: Record<string, unknown>;
  count: string;
  sum: number | null;
  min: number | null;
  max: number | null;
};

/**
 * A time series from an aggregation rule's stored windows: windows are merged into steps (a
 * step is a whole number of windows) and groups into the kept keys — counts and sums add, avg
 * is their quotient, min and max of the parts. An owner_only topic's windows count only the
 * caller's own (an admin's: everyone's). What GraphQL's analytics(timeRange) answers too.
 */
export async function windowSeries(
  options: Pick<ServiceContext, "db" | "principal"> & { query: unknown },
): Promise<WindowSeries> {
  const { db, principal } = options;
  authorize(principal, "read");
  const parsed = windowSeriesQuerySchema.safeParse(options.query);
  if (!parsed.success) throw toAppError(parsed.error);
  const query = parsed.data;
  const range = toTimeRange(query);
  const rule = await findAggregationRule(db, query.rule);
  if (!rule.functions.includes(query.function)) {
    throw new AppError("validation_failed", `${rule.name} does not compute ${query.function}.`, [
      { path: "function", message: `It computes ${rule.functions.join(", ")}.` },
    ]);
  }
  if (range.stepSeconds % rule.windowSeconds !== 0) {
    throw new AppError("validation_failed", "A step is a whole number of the rule's windows.", [
      {
        path: "step",
        message: `${rule.name}'s windows are ${rule.windowSeconds} s: use ${rule.windowSeconds} or a multiple.`,
      },
    ]);
  }
  const keep =
    query.group_by === undefined
      ? rule.groupBy
      : query.group_by
          .split(",")
          .map((key) => key.trim())
          .filter(Boolean);
  const unknown = keep.filter((key) => !rule.groupBy.includes(key));
  if (unknown.length > 0) {
    throw new AppError("validation_failed", "group_by names keys the rule does not group by.", [
      {
        path: "group_by",
        message: `${rule.name} groups by ${rule.groupBy.join(", ") || "nothing"}.`,
      },
    ]);
  }
  const everyOwner = isAdmin(principal);
  const rows = await queryRows<Row>(
    db,
    "lake_window_series",
    Prisma.sql`
      SELECT date_bin(make_interval(secs => ${range.stepSeconds}), window_start, ${range.from}) AS bucket,
             coalesce((SELECT jsonb_object_agg(k, group_values -> k) FROM unnest(${keep}::text[]) AS k),
                      '{}') AS grp,
             sum(count)::text AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max
        FROM window_aggregates
       WHERE rule_id = ${rule.id}::uuid AND window_start >= ${range.from} AND window_start < ${range.to}
         AND (policy = 'analytics' OR ${everyOwner} OR owner_id = ${principal.userId}::uuid)
       GROUP BY 1, 2
       ORDER BY 2::text, 1`,
  );
  const series = new Map<string, WindowSeries["series"][number]>();
  for (const row of rows) {
    const key = JSON.stringify(row.grp);
    let entry = series.get(key);
    if (!entry) series.set(key, (entry = { group: row.grp, points: [] }));
    const count = Number(row.count);
    const value =
      query.function === "count"
        ? count
        : query.function === "avg"
          ? row.sum === null || count === 0
            ? null
            : row.sum / count
          : row[query.function];
    entry.points.push({ t: row.bucket.toISOString(), value, count });
  }
  return {
    rule: rule.name,
    function: query.function,
    step_seconds: range.stepSeconds,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    series: [...series.values()],
  };
}
