import { z } from "zod";

import type { Dataset } from "../../db/generated/client";
import { resourceNameSchema } from "../../input/resource-name";

// Services parse their own inputs with these, so every door (REST, tRPC, GraphQL) gets the same
// limits; a failure surfaces as AppError("validation_failed") with zod's issues as details.

export const datasetNameSchema = resourceNameSchema.describe(
  "A unique name, e.g. orders; it appears in URLs (/api/v1/lake/datasets/orders).",
);

export const datasetDescriptionSchema = z
  .string()
  .trim()
  .max(500)
  .nullable()
  .transform((description) => description || null)
  .describe("What the dataset holds; empty means none.");

export const datasetPolicySchema = z
  .enum(["user_data", "analytics"])
  .describe(
    "user_data: each principal sees only its own records (admins see all); analytics: anyone " +
      "with the permission sees every record.",
  );

export const datasetPayloadIndexSchema = z
  .boolean()
  .describe(
    "Keep a GIN index of this dataset's payloads, so that `cs` (contains) filters read only the " +
      "matching records. Off by default: the index costs every write to the dataset (about a " +
      "third of a bulk import's load), and without it `cs` still works, by reading the dataset's " +
      "records. Built in the background; payload_index in the dataset's view says when it is ready.",
  );

/** What a dataset's view says of its payload index. */
export const payloadIndexStatusSchema = z
  .enum(["off", "building", "ready"])
  .describe(
    "off: no payload index; building: asked for, being built (cs filters read the records " +
      "meanwhile); ready: cs filters use it.",
  );

// The schema is compiled into a validator held in memory and copied into audit entries, so its
// size is bounded; real-world record schemas are a few kilobytes.
const MAX_SCHEMA_BYTES = 64 * 1024;

/** The shape only (a JSON object); compileDatasetSchema decides whether it is a JSON Schema. */
export const datasetJsonSchemaSchema = z
  .record(z.string(), z.unknown())
  .refine(
    (schema) => {
      try {
        return Buffer.byteLength(JSON.stringify(schema)) <= MAX_SCHEMA_BYTES;
      } catch {
        // Nesting deep enough to overflow the stack is far past any limit.
        return false;
      }
    },
    { message: `At most ${MAX_SCHEMA_BYTES} bytes of JSON.` },
  )
  .describe(
    "A JSON Schema (2020-12) every record payload must satisfy; its root is an object schema.",
  );

export const createDatasetInputSchema = z.object({
  name: datasetNameSchema,
  description: datasetDescriptionSchema.optional(),
  policy: datasetPolicySchema.default("user_data"),
  schema: datasetJsonSchemaSchema.optional(),
  payload_index: datasetPayloadIndexSchema.default(false),
});
export type CreateDatasetInput = z.input<typeof createDatasetInputSchema>;

/** Omitted fields stay as they are; the name never changes (URLs and clients depend on it). */
export const updateDatasetInputSchema = z.object({
  description: datasetDescriptionSchema.optional(),
  policy: datasetPolicySchema.optional(),
  schema: datasetJsonSchemaSchema
    .nullable()
    .optional()
    .describe("null removes the schema: payloads are then any JSON object."),
  payload_index: datasetPayloadIndexSchema.optional(),
});
export type UpdateDatasetInput = z.input<typeof updateDatasetInputSchema>;

export const deleteDatasetInputSchema = z.object({
  force: z
    .boolean()
    .default(false)
    .describe("Delete even when the dataset has records; they are deleted with it."),
});
export type DeleteDatasetInput = z.input<typeof deleteDatasetInputSchema>;

/** What the data API returns for a dataset (snake_case, like the rest of the REST API). */
export const datasetViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  policy: datasetPolicySchema,
  schema: z.record(z.string(), z.unknown()).nullable(),
  owner_id: z.uuid(),
  payload_index: payloadIndexStatusSchema,
  record_count: z
    .number()
    .int()
    .describe(
      "Non-archived records the caller can see: its own in a user_data dataset (all for admins).",
    ),
  created_at: z.string(),
  updated_at: z.string(),
});
export type DatasetView = z.infer<typeof datasetViewSchema>;

export type DatasetViewRow = Pick<
  Dataset,
  | "id"
  | "name"
  | "description"
  | "policy"
  | "jsonSchema"
  | "ownerId"
  | "payloadIndex"
  | "payloadIndexReady"
  | "createdAt"
  | "updatedAt"
>;

export const payloadIndexStatus = (
  row: Pick<Dataset, "payloadIndex" | "payloadIndexReady">,
): z.infer<typeof payloadIndexStatusSchema> =>
  !row.payloadIndex ? "off" : row.payloadIndexReady ? "ready" : "building";

/** Builds the view field by field, so a column added later never leaks by default. */
export function toDatasetView(row: DatasetViewRow, recordCount: number): DatasetView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    policy: row.policy,
    schema: (row.jsonSchema as Record<string, unknown> | null) ?? null,
    owner_id: row.ownerId,
    payload_index: payloadIndexStatus(row),
    record_count: recordCount,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The fields audit entries show before and after a change. */
export function datasetSummary(
  row: Pick<Dataset, "name" | "description" | "policy" | "jsonSchema" | "ownerId" | "payloadIndex">,
): Record<string, unknown> {
  return {
    name: row.name,
    description: row.description,
    policy: row.policy,
    schema: row.jsonSchema,
    payloadIndex: row.payloadIndex,
    ownerId: row.ownerId,
  };
}

/** The REST bodies: the service inputs, with unknown fields refused (a typo is not silently ignored). */
export const createDatasetBodySchema = createDatasetInputSchema.strict();
export const updateDatasetBodySchema = updateDatasetInputSchema.strict();
