import { z } from "zod";

import { PERMISSIONS } from "../auth/principal";
import { datasetViewSchema } from "../data/datasets/datasets.schemas";
import { recordQueryItemSchema } from "../data/records/query/record-query.schemas";
import { recordViewSchema } from "../data/records/records.schemas";
import { ERROR_STATUS, type ErrorCode } from "../errors/app-error";
import { OPTIONAL_DEPENDENCIES, type OptionalDependency } from "../resilience/dependencies";

// Answers whose services return plain TypeScript types rather than a zod-parsed view. The tests
// check each schema's type against the type the service returns (QueryRecordsResult,
// BatchResult, TokenResponse, ReadinessReport, ErrorEnvelope), so one cannot change without the
// other.

const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export const errorEnvelopeSchema = z.object({
  error_code: z
    .enum(ERROR_CODES)
    .describe("Stable and machine-readable; each code has exactly one HTTP status."),
  message: z.string().describe("For people; the wording may change between versions."),
  details: z
    .unknown()
    .describe(
      "null, or context: zod issues ({path, message, code}[]) for validation_failed, " +
        "{parameter, value, reason} for a bad query parameter, {request_id} for internal_error.",
    ),
  timestamp: z.string().describe("When the error happened (ISO 8601, UTC)."),
});

export const tokenResponseSchema = z.object({
  access_token: z
    .string()
    .describe("An HS256 JWT (issuer datapunk-auth, audience datapunk-lake): send it as Bearer."),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().describe("Seconds until the token expires."),
});

export const meResponseSchema = z.object({
  user_id: z.uuid(),
  email: z.string(),
  roles: z.array(z.string()).describe("Role names, e.g. admin or reader."),
  permissions: z
    .array(z.enum(PERMISSIONS))
    .describe("What the credential may do: its roles' permissions, narrowed to a key's scopes."),
  via: z.enum(["session", "jwt", "api_key"]).describe("The kind of credential that was used."),
  api_key_id: z.uuid().nullable().describe("The API key behind the request, if any."),
});

export const recordPageSchema = z.object({
  items: z
    .array(recordQueryItemSchema)
    .describe("Records in the requested order; with `select`, only the selected fields."),
  next_cursor: z
    .string()
    .nullable()
    .describe("Pass as `cursor` (with the same `order`) for the next page; null on the last one."),
  total: z
    .number()
    .int()
    .optional()
    .describe("With `count=exact`: every matching record, not only this page's."),
});

export const createdRecordsSchema = z.object({
  records: z.array(recordViewSchema).describe("In the order of the request's `records`."),
  count: z.number().int(),
});

const batchOp = z.enum(["create", "update", "delete"]);

export const batchResultSchema = z.union([
  z.object({
    index: z.number().int().describe("Position of the operation in `operations`."),
    op: batchOp,
    status: z.number().int().describe("What the single-record endpoint would have answered."),
    record: recordViewSchema.optional().describe("The record written (not for delete)."),
  }),
  z.object({
    index: z.number().int(),
    op: batchOp,
    status: z.number().int(),
    error: errorEnvelopeSchema
      .omit({ timestamp: true })
      .describe("Why this operation failed (non-atomic batches only)."),
  }),
]);

export const batchResponseSchema = z.object({
  atomic: z.boolean(),
  results: z.array(batchResultSchema).describe("One per operation, in order."),
});

export const datasetListSchema = z.object({
  datasets: z.array(datasetViewSchema).describe("Every dataset, sorted by name."),
});

export const healthSchema = z.object({
  status: z.literal("ok"),
  version: z.string(),
  uptimeSeconds: z.number().int(),
});

const dependencyStatus = z.enum(["up", "down", "not_configured"]);

const optionalDependencySchema = z.object({
  status: dependencyStatus.describe("down: its circuit is open (calls to it fail fast)."),
  critical: z.literal(false),
  breaker: z.enum(["closed", "open", "half-open"]).optional(),
  retryAfterSeconds: z
    .number()
    .int()
    .optional()
    .describe("While the circuit is open: seconds until its trial call."),
  lagEvents: z.number().int().optional().describe("Stream: events it has yet to process."),
  error: z.string().optional(),
});

const OPTIONAL_DEPENDENCY_DESCRIPTIONS: Record<OptionalDependency, string> = {
  stream: "Datapunk Stream (STREAM_GRPC_URL): the event log's processor.",
  cortex: "Cortex (CORTEX_URL): the embedding provider.",
};

const optionalDependencyChecks = Object.fromEntries(
  OPTIONAL_DEPENDENCIES.map((kind) => [
    kind,
    optionalDependencySchema.describe(OPTIONAL_DEPENDENCY_DESCRIPTIONS[kind]),
  ]),
) as Record<OptionalDependency, typeof optionalDependencySchema>;

export const readinessSchema = z.object({
  status: z
    .enum(["ok", "degraded", "unavailable", "draining"])
    .describe(
      "degraded: Redis or an optional dependency (non-critical) is down; unavailable " +
        "(PostgreSQL down) and draining (shutting down) are answered as a 503.",
    ),
  version: z.string(),
  uptimeSeconds: z.number().int(),
  checks: z.object({
    postgres: z
      .object({
        status: z.enum(["up", "down"]),
        critical: z.literal(true),
        mode: z.enum(["embedded", "server"]),
        latencyMs: z.number(),
        migrations: z
          .object({ applied: z.number().int(), latest: z.string().nullable() })
          .optional(),
        error: z.string().optional(),
      })
      .describe("PostgreSQL: critical."),
    redis: z
      .object({
        status: dependencyStatus,
        critical: z.literal(false),
        latencyMs: z.number().optional(),
        error: z.string().optional(),
      })
      .describe("Redis: not critical (in-process fallbacks while it is down)."),
    ...optionalDependencyChecks,
  }),
});

export const archiveResultSchema = z.object({
  count: z.number().int().describe("How many records changed."),
  ids: z.array(z.uuid()).describe("The records that changed."),
});

export const ingestResultSchema = z.object({
  acks: z
    .array(
      z.object({
        index: z.number().int().describe("The event's position in the request."),
        event_id: z.string().describe("Its id, or producer_id:sequence, or one the Lake made."),
        offset: z.string().describe("Its offset in the log (a decimal integer): resume after it."),
        duplicate: z.boolean().describe("Stored before (a retry): this send stored nothing."),
      }),
    )
    .describe("Every stored event, by index."),
  errors: z
    .array(
      z.object({
        index: z.number().int(),
        event_id: z.string().nullable(),
        error_code: z.literal("validation_failed"),
        message: z.string(),
        details: z.array(z.object({ path: z.string(), message: z.string() })),
      }),
    )
    .describe("Every refused event, by index; nothing of it was stored."),
});
