import { z } from "zod";

import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { findAggregationRule } from "../windows/get-aggregation-rule";
import {
  conditionOf,
  INACTIVE,
  judge,
  windowValue,
  type AlertInstanceState,
  type AlertStateName,
} from "./alert-state";
import { alertRuleFieldsSchema, checkTrend } from "./alert-rule.schemas";

export const previewInputSchema = z.object({
  rule: alertRuleFieldsSchema.extend({ name: z.string().optional() }).superRefine(checkTrend),
  hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(24),
});

export type AlertPreview = {
  windows: number;
  transitions: {
    group: Record<string, unknown>;
    from: AlertStateName;
    to: AlertStateName;
    value: number;
    window_start: string;
  }[];
  states: Record<AlertStateName, number>;
};

/**
 * How an alert rule would have behaved over the stored windows of the last `hours`: the same
 * evaluation the engine runs as windows close, replayed per group, with nothing stored. What the
 * console's rule editor shows before a rule is saved.
 */
export async function previewAlertRule(
  options: Pick<ServiceContext, "db" | "principal"> & { input: unknown },
): Promise<AlertPreview> {
  const { db, principal } = options;
  authorize(principal, "read");
  const parsed = previewInputSchema.safeParse(options.input);
  if (!parsed.success) throw toAppError(parsed.error);
  const { rule, hours } = parsed.data;
  const aggregation = await findAggregationRule(db, rule.aggregation);
  if (!aggregation.functions.includes(rule.function)) {
    throw new AppError("validation_failed", "The aggregation does not compute this function.", [
      {
        path: "rule.function",
        message: `${aggregation.name} computes ${aggregation.functions.join(", ")}.`,
      },
    ]);
  }
  const windows = await db.prisma.windowAggregate.findMany({
    where: {
      ruleId: aggregation.id,
      windowStart: { gte: new Date(Date.now() - hours * 3_600_000) },
      ...(isAdmin(principal)
        ? {}
        : { OR: [{ policy: "analytics" }, { ownerId: principal.userId }] }),
    },
    orderBy: { windowStart: "asc" },
    take: 50_000,
  });
  const condition = conditionOf({
    ...rule,
    trendWindows: rule.trend?.windows ?? null,
    trendHorizonSeconds: rule.trend?.horizon_seconds ?? null,
    forSeconds: rule.for_seconds,
    keepFiringForSeconds: rule.keep_firing_for_seconds,
  });
  const groups = new Map<
    string,
    { state: AlertInstanceState; history: { start: number; end: number; value: number }[] }
  >();
  const transitions: AlertPreview["transitions"] = [];
  for (const window of windows) {
    const value = windowValue({ ...window, count: Number(window.count) }, rule.function);
    if (value === null) continue;
    const group = groups.get(window.groupKey) ?? { state: INACTIVE, history: [] };
    groups.set(window.groupKey, group);
    const start = window.windowStart.getTime();
    const end = window.windowEnd.getTime();
    group.history.push({ start, end, value });
    if (group.history.length > 100) group.history.shift();
    const judged = judge(condition, group.state, group.history);
    if (!judged) continue;
    const { value: observed, next } = judged;
    if (next.state !== group.state.state) {
      transitions.push({
        group: window.groupValues as Record<string, unknown>,
        from: group.state.state,
        to: next.state,
        value: observed,
        window_start: window.windowStart.toISOString(),
      });
    }
    group.state = next;
  }
  const states: AlertPreview["states"] = { inactive: 0, pending: 0, firing: 0, resolved: 0 };
  for (const group of groups.values()) states[group.state.state] += 1;
  return { windows: windows.length, transitions: transitions.slice(-200), states };
}
