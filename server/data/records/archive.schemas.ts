import { z } from "zod";

/** POST /api/v1/lake/data/archive and /restore: which records, by dataset, time and payload filters. */
export const archiveCriteriaSchema = z
  .object({
    dataset: z
      .string()
      .min(1)
      .max(200)
      .describe("The dataset's id or name (required: archiving is per dataset)."),
    created_after: z.string().optional().describe("ISO 8601; exclusive."),
    created_before: z.string().optional().describe("ISO 8601; exclusive."),
    filter: z
      .record(
        z.string().regex(/^payload\./, "filter keys are payload paths: payload.<path>"),
        z.string(),
      )
      .optional()
      .describe(
        'Payload filters in the query syntax of GET /data, e.g. { "payload.status": "eq.closed" }.',
      ),
    ids: z
      .array(z.uuid())
      .min(1)
      .max(1000)
      .optional()
      .describe("Only these records (still within the other criteria)."),
  })
  .strict();
export type ArchiveCriteria = z.infer<typeof archiveCriteriaSchema>;
