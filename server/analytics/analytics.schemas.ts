import { z } from "zod";

import { WINDOW_FUNCTIONS } from "../stream/windows/aggregation-rule.schemas";

export const windowSeriesSchema = z.object({
  rule: z.string(),
  function: z.enum(WINDOW_FUNCTIONS),
  step_seconds: z.number().int(),
  from: z.string(),
  to: z.string(),
  series: z
    .array(
      z.object({
        group: z.record(z.string(), z.unknown()).describe("The kept group_by keys' values."),
        points: z.array(
          z.object({
            t: z.string().describe("The step's start (ISO 8601)."),
            value: z.number().nullable(),
            count: z.number().int().describe("Events aggregated in the step."),
          }),
        ),
      }),
    )
    .describe("One series per group; a step without windows has no point."),
});
export type WindowSeries = z.infer<typeof windowSeriesSchema>;

export const recordActivitySchema = z.object({
  step_seconds: z.number().int(),
  points: z.array(
    z.object({
      t: z.string(),
      dataset: z.string(),
      created: z.number().int(),
      updated: z.number().int(),
      deleted: z.number().int(),
    }),
  ),
});
export type RecordActivity = z.infer<typeof recordActivitySchema>;

export const importVolumeSchema = z.object({
  step_seconds: z.number().int(),
  points: z.array(
    z.object({
      t: z.string(),
      jobs: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      rows_loaded: z.number().int(),
      rows_rejected: z.number().int(),
      bytes: z.number().int(),
    }),
  ),
});
export type ImportVolume = z.infer<typeof importVolumeSchema>;
