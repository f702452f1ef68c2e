import { z } from "zod";

import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { selectEventsInTimeRange } from "../events/stream-events.queries";
import { findAggregationRule } from "./get-aggregation-rule";
import { compileRule, mergeNumbers, windowDeltas, type WindowDelta } from "./window-deltas";

export const recomputeBodySchema = z
  .object({
    window_start: z.iso
      .datetime({ offset: true })
      .describe("The window's start (ISO 8601), a multiple of the rule's window."),
  })
  .strict();

export const recomputeResultSchema = z.object({
  groups: z.number().int(),
  events: z.number().int(),
  late_included: z.number().int(),
});

const PAGE = 5000;

/**
 * Recomputes one window of a rule, every group, from the events the log still holds —
 * including those that arrived late — and stores the result over what the engine stored: late
 * events re-aggregated on demand. The rule's creator or an admin, with "write". Answers how many
 * groups it stored and how many of their events had been late.
 */
export async function recomputeWindow(
  options: Pick<ServiceContext, "db" | "principal"> & { rule: string; body: unknown },
): Promise<z.infer<typeof recomputeResultSchema>> {
  const { db, principal } = options;
  authorize(principal, "write");
  const parsed = recomputeBodySchema.safeParse(options.body);
  if (!parsed.success) throw toAppError(parsed.error);
  const stored = await findAggregationRule(db, options.rule);
  if (stored.createdBy !== principal.userId && !isAdmin(principal)) {
    throw new AppError("forbidden", "Only the rule's creator or an admin may recompute it.");
  }
  const rule = compileRule(stored);
  const start = Date.parse(parsed.data.window_start);
  if (start % rule.windowMs !== 0) {
    throw new AppError("validation_failed", "window_start is not the start of a window.", [
      {
        path: "window_start",
        message: `Windows of ${stored.name} start every ${stored.windowSeconds} s from the epoch.`,
      },
    ]);
  }
  if (start + rule.windowMs + rule.graceMs > Date.now()) {
    throw new AppError("conflict", "The window is still open: the engine has not closed it yet.", {
      closes_at: new Date(start + rule.windowMs + rule.graceMs).toISOString(),
    });
  }
  const windows = new Map<string, WindowDelta>();
  let events = 0;
  for (let after = "0"; ;) {
    const page = await selectEventsInTimeRange(db, {
      topic: rule.topic,
      from: new Date(start),
      to: new Date(start + rule.windowMs),
      after,
      limit: PAGE,
    });
    events += page.length;
    // Everything the log holds counts here, late events too.
    for (const delta of windowDeltas([rule], page, () => -Infinity).deltas) {
      const known = windows.get(delta.key);
      windows.set(delta.key, known ? { ...known, ...mergeNumbers(known, delta) } : delta);
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.offset;
  }
  const rows = [...windows.values()];
  const field = stored.field !== null;
  await db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO window_aggregates (rule_id, window_start, window_end, group_key, group_values,
                                     owner_id, policy, count, sum, min, max, rejected)
      SELECT ${stored.id}::uuid, ${new Date(start)}, ${new Date(start + rule.windowMs)}, t.group_key,
             t.group_values::jsonb, t.owner_id, t.policy::"ResourcePolicy", t.count,
             CASE WHEN ${field} THEN t.sum END, CASE WHEN ${field} THEN t.min END,
             CASE WHEN ${field} THEN t.max END, t.rejected
        FROM unnest(${rows.map((r) => r.groupKey)}::text[],
                    ${rows.map((r) => JSON.stringify(r.groupValues))}::text[],
                    ${rows.map((r) => r.ownerId)}::uuid[], ${rows.map((r) => r.policy)}::text[],
                    ${rows.map((r) => r.count)}::bigint[], ${rows.map((r) => r.sum)}::float8[],
                    ${rows.map((r) => r.min)}::float8[], ${rows.map((r) => r.max)}::float8[],
                    ${rows.map((r) => r.rejected)}::bigint[])
          AS t(group_key, group_values, owner_id, policy, count, sum, min, max, rejected)
      ON CONFLICT (rule_id, window_start, group_key) DO UPDATE
         SET count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
             rejected = excluded.rejected, closed_at = now()`);
  });
  const late = await db.prisma.windowLateEvent.count({
    where: { ruleId: stored.id, windowStart: new Date(start) },
  });
  return { groups: rows.length, events, late_included: late };
}
