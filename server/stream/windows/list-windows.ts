import { z } from "zod";

import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { Prisma } from "../../db/generated/client";
import { queryRows } from "../../data/records/query-rows";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { type AggregationRuleView, type WindowView } from "./aggregation-rule.schemas";
import { findAggregationRule } from "./get-aggregation-rule";
import { toRuleView } from "./list-aggregation-rules";

export const windowQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().describe("Windows ending after this time."),
    to: z.iso.datetime({ offset: true }).optional().describe("Windows starting before it (now)."),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: "from must be before to.",
    path: ["from"],
  });

type WindowRow = {
  windowStart: Date;
  windowEnd: Date;
  groupValues: Record<string, unknown>;
  count: string;
  sum: number | null;
  min: number | null;
  max: number | null;
  rejected: string;
  closedAt: Date;
  late: string;
};

/**
 * A rule's stored windows in a time range, oldest first. An owner_only topic's windows are each
 * owner's: a principal sees its own (an admin every owner's), like the events they came from.
 */
export async function listWindows(
  options: Pick<ServiceContext, "db" | "principal"> & { rule: string; query: unknown },
): Promise<{ rule: AggregationRuleView; windows: WindowView[] }> {
  const { db, principal } = options;
  authorize(principal, "read");
  const parsed = windowQuerySchema.safeParse(options.query);
  if (!parsed.success) throw toAppError(parsed.error);
  const rule = await findAggregationRule(db, options.rule);
  const to = parsed.data.to ? new Date(parsed.data.to) : new Date();
  const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - 86_400_000);
  const everyOwner = isAdmin(principal);
  const rows = await queryRows<WindowRow>(
    db,
    "lake_windows",
    Prisma.sql`
      SELECT window_start AS "windowStart", window_end AS "windowEnd",
             group_values AS "groupValues", count::text AS count, sum, min, max,
             rejected::text AS rejected, closed_at AS "closedAt",
             (SELECT count(*) FROM window_late_events l
               WHERE l.rule_id = w.rule_id AND l.window_start = w.window_start
                 AND l.group_key = w.group_key)::text AS late
        FROM window_aggregates w
       WHERE rule_id = ${rule.id}::uuid
         AND window_end > ${from} AND window_start < ${to}
         AND (policy = 'analytics' OR ${everyOwner} OR owner_id = ${principal.userId}::uuid)
       ORDER BY window_start, group_key
       LIMIT ${parsed.data.limit}`,
  );
  return {
    rule: toRuleView(rule),
    windows: rows.map((row) => ({
      window_start: row.windowStart.toISOString(),
      window_end: row.windowEnd.toISOString(),
      group: row.groupValues,
      count: Number(row.count),
      sum: row.sum,
      avg: row.sum === null || row.count === "0" ? null : row.sum / Number(row.count),
      min: row.min,
      max: row.max,
      rejected: Number(row.rejected),
      late: Number(row.late),
      closed_at: row.closedAt.toISOString(),
    })),
  };
}
