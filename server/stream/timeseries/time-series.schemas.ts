import { z } from "zod";

export const MAX_POINTS_PER_WRITE = 10_000;

/** One processed point of the Stream service (the proto's TimeSeriesPoint). */
export const timeSeriesPointSchema = z
  .object({
    series: z.string().min(1, "A point needs its series.").max(200),
    timestamp: z.iso.datetime({ offset: true, error: "An ISO 8601 time with an offset." }),
    value: z.number().refine(Number.isFinite, "The value must be a finite number."),
    tags: z.record(z.string().min(1).max(256), z.string().max(1024)).default({}),
  })
  .strict();

export type TimeSeriesPointInput = z.input<typeof timeSeriesPointSchema>;
