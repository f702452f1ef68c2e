import { z } from "zod";

import { MAX_RECORDS_PER_REQUEST } from "./create-records";
import { payloadSchema } from "./records.schemas";

const datasetRef = z.string().min(1).max(200).describe("The dataset's id or name.");

/** POST /api/v1/lake/data: one record (`payload`) or many (`records`), never both. */
export const createRecordsBodySchema = z.union([
  z.object({ dataset: datasetRef, payload: payloadSchema }).strict(),
  z
    .object({
      dataset: datasetRef,
      records: z
        .array(payloadSchema)
        .min(1)
        .max(MAX_RECORDS_PER_REQUEST)
        .describe("Payloads to create together, all or nothing."),
    })
    .strict(),
]);

/** PUT /api/v1/lake/data/{id}: the new payload (replaces the old one whole). */
export const replaceRecordBodySchema = z.object({ payload: payloadSchema }).strict();

export const recordParamsSchema = z.object({ id: z.uuid() });
