import { z } from "zod";

import { WINDOW_FUNCTIONS } from "../windows/aggregation-rule.schemas";
import { resourceNameSchema } from "../../input/resource-name";

const DAY_SECONDS = 86_400;
const seconds = (what: string) =>
  z
    .number()
    .int(`${what} is a whole number of seconds.`)
    .min(0)
    .max(7 * DAY_SECONDS, `${what} is at most a week.`);

/** An alert rule's fields, before the checks across them (alertRuleInputSchema). */
export const alertRuleFieldsSchema = z
  .object({
    name: resourceNameSchema,
    aggregation: z
      .string({ error: "Name the aggregation rule (id or name) whose windows are watched." })
      .min(1)
      .max(200)
      .describe("The aggregation rule, by id or name."),
    function: z
      .enum(WINDOW_FUNCTIONS, { error: `Functions are ${WINDOW_FUNCTIONS.join(", ")}.` })
      .describe("Which of the aggregation's values is watched."),
    kind: z.enum(["threshold", "trend"]).default("threshold"),
    operator: z.enum([">", ">=", "<", "<="]).default(">"),
    threshold: z.number().finite(),
    trend: z
      .object({
        windows: z.number().int().min(2).max(100).default(5).describe("Windows in the linear fit."),
        horizon_seconds: seconds("The horizon")
          .nullable()
          .default(null)
          .describe(
            "Predict this far past the last window and compare (null: compare the slope per minute).",
          ),
      })
      .strict()
      .optional(),
    for_seconds: seconds("for").default(0).describe("How long it must hold before firing."),
    keep_firing_for_seconds: seconds("keep_firing_for")
      .default(0)
      .describe("How long it keeps firing after it stops holding."),
    webhook: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .default(null)
      .describe("A webhook (id or name) notified when it fires and resolves."),
  })
  .strict();

/** A trend alert has its `trend`, a threshold alert none. */
export function checkTrend(
  rule: { kind: "threshold" | "trend"; trend?: unknown },
  context: z.RefinementCtx,
) {
  if (rule.kind === "trend" && !rule.trend) {
    context.addIssue({ code: "custom", path: ["trend"], message: "A trend alert needs `trend`." });
  }
  if (rule.kind === "threshold" && rule.trend) {
    context.addIssue({
      code: "custom",
      path: ["trend"],
      message: "Only a trend alert has `trend`.",
    });
  }
}

export const alertRuleInputSchema = alertRuleFieldsSchema.superRefine(checkTrend);

export type AlertRuleInput = z.input<typeof alertRuleInputSchema>;

export const alertRuleViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  aggregation: z.object({ id: z.uuid(), name: z.string() }),
  function: z.enum(WINDOW_FUNCTIONS),
  kind: z.enum(["threshold", "trend"]),
  operator: z.enum([">", ">=", "<", "<="]),
  threshold: z.number(),
  trend: z
    .object({ windows: z.number().int(), horizon_seconds: z.number().int().nullable() })
    .nullable(),
  for_seconds: z.number().int(),
  keep_firing_for_seconds: z.number().int(),
  webhook: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** Counts of its instances by state, the states at a glance. */
  states: z.object({
    inactive: z.number().int(),
    pending: z.number().int(),
    firing: z.number().int(),
    resolved: z.number().int(),
  }),
  created_at: z.string(),
});
export type AlertRuleView = z.infer<typeof alertRuleViewSchema>;

export const alertRuleListSchema = z.object({ rules: z.array(alertRuleViewSchema) });

export const alertTransitionViewSchema = z.object({
  id: z.string(),
  alert: z.string().describe("The alert rule's name."),
  group: z.record(z.string(), z.unknown()),
  from: z.enum(["inactive", "pending", "firing", "resolved"]),
  to: z.enum(["inactive", "pending", "firing", "resolved"]),
  value: z
    .number()
    .nullable()
    .describe("What the condition observed: the value, slope or prediction."),
  threshold: z.number(),
  window_start: z.string(),
  window_end: z.string(),
  at: z.string(),
});
export type AlertTransitionView = z.infer<typeof alertTransitionViewSchema>;

export const alertTransitionListSchema = z.object({
  transitions: z.array(alertTransitionViewSchema).describe("Newest first."),
});

/** An alert rule in a URL: its id or its name. */
export const alertRuleParams = z.object({ rule: z.string().min(1).max(200) });
