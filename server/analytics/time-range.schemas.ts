import { z } from "zod";

/** Points per series at most: a range too long for its step is refused with the step that fits. */
export const MAX_POINTS = 10_000;

export const timeRangeSchema = z
  .object({
    from: z.iso.datetime({ offset: true, error: "from: an ISO 8601 time with an offset." }),
    to: z.iso.datetime({ offset: true, error: "to: an ISO 8601 time with an offset." }),
    step: z.coerce
      .number()
      .int("step is a whole number of seconds.")
      .min(1)
      .max(366 * 86_400)
      .describe("Seconds per point, e.g. 300, 3600, 86400."),
  })
  .superRefine((range, context) => {
    const from = Date.parse(range.from);
    const to = Date.parse(range.to);
    if (!(from < to)) {
      context.addIssue({
        code: "custom",
        path: ["from"],
        message: "from must be before to (the range is inverted or empty).",
      });
      return;
    }
    const points = Math.ceil((to - from) / (range.step * 1000));
    if (points > MAX_POINTS) {
      const fits = Math.ceil((to - from) / 1000 / MAX_POINTS);
      context.addIssue({
        code: "custom",
        path: ["step"],
        message: `The range is too long for this step (${points} points, at most ${MAX_POINTS}): use step ≥ ${fits}, or a shorter range.`,
      });
    }
  });

export type TimeRange = { from: Date; to: Date; stepSeconds: number };

export const toTimeRange = (range: z.output<typeof timeRangeSchema>): TimeRange => ({
  from: new Date(range.from),
  to: new Date(range.to),
  stepSeconds: range.step,
});
