import { z } from "zod";

import { INGEST_TOPICS } from "../events/topics";
import { resourceNameSchema } from "../../input/resource-name";

// Services parse their own inputs with these, so every door (REST, tRPC, GraphQL) gets the same
// limits; a failure surfaces as AppError("validation_failed") with zod's issues as details.

export const WINDOW_FUNCTIONS = ["count", "avg", "max", "min", "sum"] as const;
export type WindowFunction = (typeof WINDOW_FUNCTIONS)[number];

const DAY_SECONDS = 86_400;
/** More keys make groups that hold one event each: a scan, not an aggregate. */
export const MAX_GROUP_KEYS = 5;

const payloadPath = /^payload(\.[A-Za-z0-9_-]{1,64}){1,8}$/;

/**
 * What system_metrics payloads hold (systemMetricSchema, strict): its one number, and the
 * labels a metric can be grouped by. user_events payloads are the producer's own: any path.
 */
const METRIC_FIELDS = ["payload.value"];
const isMetricGroup = (path: string) =>
  ["payload.host", "payload.name"].includes(path) || /^payload\.labels\.[^.]+$/.test(path);

const seconds = (what: string, max: number) =>
  z
    .number({ error: `${what} is a number of seconds.` })
    .int(`${what} is a whole number of seconds.`)
    .min(what === "The window" ? 1 : 0)
    .max(max, `${what} is at most a day (${max} seconds).`);

export const aggregationRuleInputSchema = z
  .object({
    name: resourceNameSchema.describe("A unique name, e.g. api_latency_5m."),
    topic: z
      .enum(INGEST_TOPICS, { error: `Unknown topic: rules read ${INGEST_TOPICS.join(" or ")}.` })
      .describe("The input stream whose events are aggregated."),
    window_seconds: seconds("The window", DAY_SECONDS)
      .default(300)
      .describe("Tumbling window length, aligned to the epoch: 60, 300 (default), 3600 …"),
    grace_seconds: seconds("The grace period", DAY_SECONDS)
      .default(60)
      .describe("How long after a window's end (event time) its events may still arrive."),
    functions: z
      .array(z.enum(WINDOW_FUNCTIONS, { error: `Functions are ${WINDOW_FUNCTIONS.join(", ")}.` }))
      .min(1, "Name at least one function.")
      .refine((list) => new Set(list).size === list.length, "A function is named twice.")
      .default(["count"])
      .describe("What each window reports."),
    field: z
      .string()
      .regex(payloadPath, "A payload path, e.g. payload.latency_ms.")
      .nullable()
      .default(null)
      .describe("The number aggregated; omit it for a rule that only counts events."),
    group_by: z
      .array(
        z
          .string()
          .refine(
            (key) => key === "partition_key" || payloadPath.test(key),
            "partition_key or a payload path, e.g. payload.name.",
          ),
      )
      .max(MAX_GROUP_KEYS, `At most ${MAX_GROUP_KEYS} group-by keys.`)
      .refine((list) => new Set(list).size === list.length, "A key is named twice.")
      .default([])
      .describe("Each distinct combination of these values is its own series."),
  })
  .strict()
  .superRefine((rule, context) => {
    const needsField = rule.functions.some((fn) => fn !== "count");
    if (needsField && rule.field === null) {
      context.addIssue({
        code: "custom",
        path: ["field"],
        message: "avg, max, min and sum need the field they aggregate.",
      });
    }
    if (rule.topic !== "system_metrics") return;
    if (rule.field !== null && !METRIC_FIELDS.includes(rule.field)) {
      context.addIssue({
        code: "custom",
        path: ["field"],
        message: `Unknown field: system_metrics carries its number in ${METRIC_FIELDS.join(", ")}.`,
      });
    }
    rule.group_by.forEach((key, index) => {
      if (key !== "partition_key" && !isMetricGroup(key)) {
        context.addIssue({
          code: "custom",
          path: ["group_by", index],
          message:
            "Unknown field: system_metrics group by payload.name, payload.host or payload.labels.<label>.",
        });
      }
    });
  });

export type AggregationRuleInput = z.input<typeof aggregationRuleInputSchema>;

/** A rule in a URL: its id or its name. */
export const windowRuleParams = z.object({ rule: z.string().min(1).max(200) });

/** A rule as every door returns it. */
export const aggregationRuleViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  topic: z.string(),
  window_seconds: z.number().int(),
  grace_seconds: z.number().int(),
  functions: z.array(z.enum(WINDOW_FUNCTIONS)),
  field: z.string().nullable(),
  group_by: z.array(z.string()),
  created_at: z.string().describe("ISO 8601 (UTC)."),
  updated_at: z.string(),
});
export type AggregationRuleView = z.infer<typeof aggregationRuleViewSchema>;

export const aggregationRuleListSchema = z.object({
  rules: z.array(aggregationRuleViewSchema).describe("Every rule, sorted by name."),
});

/** One closed window of a rule for one group. */
export const windowViewSchema = z.object({
  window_start: z.string().describe("ISO 8601 (UTC), inclusive."),
  window_end: z.string().describe("Exclusive."),
  group: z
    .record(z.string(), z.unknown())
    .describe('The group\'s values by group_by key, e.g. {"payload.name": "cpu"}.'),
  count: z
    .number()
    .int()
    .describe("Events aggregated (with a numeric field, if the rule has one)."),
  sum: z.number().nullable().describe("null for a rule that only counts."),
  avg: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  rejected: z
    .number()
    .int()
    .describe("Events of the window whose field was missing or not a number: not aggregated."),
  late: z
    .number()
    .int()
    .describe(
      "Events that arrived after the window closed: kept, not aggregated (recompute adds them).",
    ),
  closed_at: z.string().describe("When the window was stored (or last recomputed)."),
});
export type WindowView = z.infer<typeof windowViewSchema>;

export const windowListSchema = z.object({
  rule: aggregationRuleViewSchema,
  windows: z.array(windowViewSchema).describe("Oldest first, then by group."),
});
