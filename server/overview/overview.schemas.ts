import { z } from "zod";

import { HISTORY_RETENTION_SECONDS } from "../observability/request-history";

// The console's overview (the dashboard): what each procedure takes and answers.

export const requestHistoryInputSchema = z.object({
  windowSeconds: z
    .number()
    .int()
    .min(60)
    .max(HISTORY_RETENTION_SECONDS)
    .describe("How far back to look, at most the 6 hours kept."),
  after: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe(
      "The `t` of the newest point the client holds: points from that one on are sent (it may " +
        "have been partial), none older.",
    ),
});
export type RequestHistoryInput = z.infer<typeof requestHistoryInputSchema>;

const quantileMs = z.number().nonnegative().nullable();

export const requestSampleSchema = z.object({
  t: z.number().int().describe("Start of the interval, epoch ms."),
  seconds: z.number().nonnegative().describe("Seconds covered; less for the open interval."),
  requests: z.number().int().nonnegative(),
  clientErrors: z.number().int().nonnegative().describe("4xx answers."),
  serverErrors: z.number().int().nonnegative().describe("5xx answers."),
  p50Ms: quantileMs,
  p95Ms: quantileMs,
  p99Ms: quantileMs,
  partial: z.boolean().describe("The interval still open: its figures still grow."),
});
export type RequestSampleView = z.infer<typeof requestSampleSchema>;

export const requestHistorySchema = z.object({
  now: z.number().int().describe("The server's clock, epoch ms."),
  intervalSeconds: z.number().int().positive(),
  points: z.array(requestSampleSchema),
});
export type RequestHistoryView = z.infer<typeof requestHistorySchema>;

export const importDaySchema = z.object({
  day: z.string().describe("UTC date, YYYY-MM-DD."),
  started: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  rowsLoaded: z.number().int().nonnegative(),
});
export type ImportDay = z.infer<typeof importDaySchema>;

export const dataVolumesSchema = z.object({
  datasets: z.number().int().nonnegative(),
  records: z.object({
    count: z.number().int().nonnegative(),
    /** "estimate": PostgreSQL's planner estimate for a large table (archived records included). */
    method: z.enum(["exact", "estimate"]),
    /** "all" for administrators; "visible": analytics datasets and the viewer's own records. */
    scope: z.enum(["all", "visible"]),
  }),
  imports: z.object({
    scope: z.enum(["all", "own"]),
    days: z.array(importDaySchema).describe("The last 14 UTC days, oldest first, today last."),
  }),
});
export type DataVolumes = z.infer<typeof dataVolumesSchema>;

export const activityEntrySchema = z.object({
  id: z.string(),
  at: z.date(),
  actorEmail: z.string().nullable().describe("null for anonymous actions."),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
});

export const recentActivitySchema = z.object({
  /** "all" for administrators (the audit page's rule); everyone else sees only their own. */
  scope: z.enum(["all", "own"]),
  items: z.array(activityEntrySchema),
});
export type RecentActivity = z.infer<typeof recentActivitySchema>;
