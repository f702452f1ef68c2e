import { z } from "zod";

import { payloadSchema, recordIdSchema } from "./records.schemas";

export const MAX_BATCH_OPERATIONS = 100;

export const batchOperationSchema = z.discriminatedUnion("op", [
  z
    .object({
      op: z.literal("create"),
      dataset: z.string().min(1).max(200),
      payload: payloadSchema,
    })
    .strict(),
  z
    .object({
      op: z.literal("update"),
      id: recordIdSchema,
      payload: payloadSchema,
      if_match: z.string().optional(),
    })
    .strict(),
  z
    .object({ op: z.literal("delete"), id: recordIdSchema, if_match: z.string().optional() })
    .strict(),
]);
export type BatchOperation = z.infer<typeof batchOperationSchema>;

/** POST /api/v1/lake/batch. */
export const batchBodySchema = z
  .object({
    operations: z.array(batchOperationSchema).min(1).max(MAX_BATCH_OPERATIONS),
    atomic: z
      .boolean()
      .default(true)
      .describe(
        "true (default): all operations or none. false: each on its own, with a result per operation.",
      ),
  })
  .strict();
export type BatchBody = z.infer<typeof batchBodySchema>;
