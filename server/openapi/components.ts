import { z } from "zod";

import { tokenRequestSchema } from "../auth/exchange-token";
import {
  createDatasetBodySchema,
  datasetViewSchema,
  updateDatasetBodySchema,
} from "../data/datasets/datasets.schemas";
import { archiveCriteriaSchema } from "../data/records/archive.schemas";
import { batchBodySchema } from "../data/records/batch.schemas";
import { recordQueryItemSchema } from "../data/records/query/record-query.schemas";
import {
  createRecordsBodySchema,
  recordParamsSchema,
  replaceRecordBodySchema,
} from "../data/records/record-requests.schemas";
import { recordViewSchema } from "../data/records/records.schemas";
import {
  bulkEmbeddingsBodySchema,
  bulkEmbeddingsResultSchema,
  embeddingListSchema,
  embeddingViewSchema,
  indexStatusListSchema,
  indexStatusSchema,
  putEmbeddingBodySchema,
  searchBodySchema,
  searchResultSchema,
  tuneIndexBodySchema,
} from "../vectors/vectors.schemas";
import {
  importJobPageSchema,
  importJobViewSchema,
  startJobBodySchema,
} from "../imports/imports.schemas";
import { ingestBodySchema } from "../stream/events/event-input.schemas";
import { recomputeBodySchema, recomputeResultSchema } from "../stream/windows/recompute-window";
import {
  importVolumeSchema,
  recordActivitySchema,
  windowSeriesSchema,
} from "../analytics/analytics.schemas";
import {
  alertRuleInputSchema,
  alertRuleListSchema,
  alertRuleViewSchema,
  alertTransitionListSchema,
} from "../stream/alerts/alert-rule.schemas";
import {
  createdWebhookSchema,
  webhookDeliveryListSchema,
  webhookInputSchema,
  webhookListSchema,
} from "../stream/webhooks/webhook.schemas";
import {
  aggregationRuleInputSchema,
  aggregationRuleListSchema,
  aggregationRuleViewSchema,
  windowListSchema,
} from "../stream/windows/aggregation-rule.schemas";
import { errorResponseComponents, headerComponents } from "./error-responses";
import { jsonSchemaOf, namedOutputSchemas, schemaRef } from "./json-schema";
import {
  type ComponentsObject,
  type HeaderObject,
  type MediaTypeObject,
  type ParameterObject,
  type ReferenceObject,
  type RequestBodyObject,
  type ResponseObject,
  type SecurityRequirementObject,
} from "./openapi-types";
import {
  archiveResultSchema,
  batchResponseSchema,
  createdRecordsSchema,
  datasetListSchema,
  errorEnvelopeSchema,
  healthSchema,
  ingestResultSchema,
  meResponseSchema,
  readinessSchema,
  recordPageSchema,
  tokenResponseSchema,
} from "./response-schemas";

/**
 * The request bodies, by component name: the very schema objects the routes pass to `route()` as
 * `body`.
 */
export const REQUEST_BODY_SCHEMAS = {
  TokenRequest: tokenRequestSchema,
  CreateRecordsRequest: createRecordsBodySchema,
  ReplaceRecordRequest: replaceRecordBodySchema,
  BatchRequest: batchBodySchema,
  ArchiveRequest: archiveCriteriaSchema,
  CreateDatasetRequest: createDatasetBodySchema,
  UpdateDatasetRequest: updateDatasetBodySchema,
  PutEmbeddingRequest: putEmbeddingBodySchema,
  BulkEmbeddingsRequest: bulkEmbeddingsBodySchema,
  VectorSearchRequest: searchBodySchema,
  TuneIndexRequest: tuneIndexBodySchema,
  StartImportRequest: startJobBodySchema,
  IngestEventsRequest: ingestBodySchema,
  AggregationRuleRequest: aggregationRuleInputSchema,
  RecomputeWindowRequest: recomputeBodySchema,
  AlertRuleRequest: alertRuleInputSchema,
  WebhookRequest: webhookInputSchema,
} satisfies Record<string, z.ZodType>;
export type RequestBodyName = keyof typeof REQUEST_BODY_SCHEMAS;

const RESPONSE_SCHEMAS = {
  ErrorEnvelope: {
    schema: errorEnvelopeSchema,
    description: "The one shape of every error answered by this API, whatever the endpoint.",
  },
  RecordView: {
    schema: recordViewSchema,
    description: "A record: its payload and bookkeeping. Timestamps are ISO 8601 (UTC).",
  },
  RecordQueryItem: {
    schema: recordQueryItemSchema,
    description: "A record narrowed to the fields chosen with `select` (all of them without).",
  },
  RecordPage: { schema: recordPageSchema, description: "One page of a record query." },
  IngestResult: {
    schema: ingestResultSchema,
    description: "Each event of an ingest request: stored (with its offset) or refused.",
  },
  CreatedRecords: {
    schema: createdRecordsSchema,
    description: "The records created by a request with `records`.",
  },
  BatchResponse: {
    schema: batchResponseSchema,
    description: "The outcome of each operation of a batch.",
  },
  ArchiveResult: {
    schema: archiveResultSchema,
    description: "The records an archive or restore changed.",
  },
  DatasetView: {
    schema: datasetViewSchema,
    description: "A dataset: a named collection of records with a policy and an optional schema.",
  },
  DatasetList: { schema: datasetListSchema, description: "Every dataset." },
  EmbeddingView: {
    schema: embeddingViewSchema,
    description: "One embedding of a record: its type, model and 1536 components.",
  },
  EmbeddingList: { schema: embeddingListSchema, description: "A record's embeddings." },
  BulkEmbeddingsResult: {
    schema: bulkEmbeddingsResultSchema,
    description: "How many embeddings a bulk write stored.",
  },
  VectorSearchResult: {
    schema: searchResultSchema,
    description: "The nearest records, closest first, and how the index served the search.",
  },
  IndexStatus: { schema: indexStatusSchema, description: "One ANN index's state." },
  IndexStatusList: { schema: indexStatusListSchema, description: "Every ANN index's state." },
  TokenResponse: { schema: tokenResponseSchema, description: "A one-hour Bearer token." },
  ImportJob: {
    schema: importJobViewSchema,
    description: "An import: upload and stage progress, throughput and ETA, outcome.",
  },
  ImportJobPage: { schema: importJobPageSchema, description: "One page of import history." },
  AggregationRule: {
    schema: aggregationRuleViewSchema,
    description: "What the window engine aggregates: a topic, a window, functions and groups.",
  },
  AggregationRuleList: { schema: aggregationRuleListSchema, description: "Every rule." },
  RecomputeResult: {
    schema: recomputeResultSchema,
    description: "What a recomputation stored: groups, events read, late events now included.",
  },
  WindowList: {
    schema: windowListSchema,
    description: "A rule's closed windows in a time range, one per window and group.",
  },
  AlertRule: {
    schema: alertRuleViewSchema,
    description: "A condition on an aggregation's windows, with its groups' states at a glance.",
  },
  AlertRuleList: { schema: alertRuleListSchema, description: "Every alert rule." },
  AlertTransitionList: {
    schema: alertTransitionListSchema,
    description: "An alert rule's state changes, each with the window and value that caused it.",
  },
  CreatedWebhook: {
    schema: createdWebhookSchema,
    description: "A new webhook, with the secret of its signatures (shown only now).",
  },
  WebhookList: { schema: webhookListSchema, description: "The caller's webhooks." },
  WebhookDeliveryList: {
    schema: webhookDeliveryListSchema,
    description: "A webhook's deliveries with every attempt.",
  },
  WindowSeries: {
    schema: windowSeriesSchema,
    description: "A time series per group from an aggregation rule's windows.",
  },
  RecordActivity: {
    schema: recordActivitySchema,
    description: "Records created, updated and deleted per dataset and step.",
  },
  ImportVolume: { schema: importVolumeSchema, description: "Imports finished per step." },
  Me: { schema: meResponseSchema, description: "Who the credential belongs to." },
  Health: { schema: healthSchema, description: "Liveness." },
  Readiness: {
    schema: readinessSchema,
    description: "Readiness of this instance's dependencies.",
  },
} satisfies Record<string, { schema: z.ZodType; description: string }>;
export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;

/** Who may call an /api/v1/lake operation: a Bearer token or API key, or the X-API-Key header. */
export const AUTHENTICATED: SecurityRequirementObject[] = [
  { bearerAuth: [] },
  { apiKeyHeader: [] },
];

export const parameterRef = (name: string): ReferenceObject => ({
  $ref: `#/components/parameters/${name}`,
});

/** A required JSON body whose schema is the named request component. */
export function jsonBody(
  name: RequestBodyName,
  description: string,
  examples: Record<string, { summary: string; value: unknown }>,
): RequestBodyObject {
  // OpenAPI allows `example` or `examples`, not both.
  const values = Object.values(examples);
  const media: MediaTypeObject =
    values.length === 1
      ? { schema: schemaRef(name), example: values[0]!.value }
      : { schema: schemaRef(name), examples };
  return { description, required: true, content: { "application/json": media } };
}

/** A JSON answer whose schema is the named response component. */
export function jsonResponse(
  description: string,
  name: ResponseSchemaName,
  headers?: Record<string, HeaderObject | ReferenceObject>,
): ResponseObject {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { "application/json": { schema: schemaRef(name) } },
  };
}

const EXAMPLE_ETAG = '"kY1cJ9v0m3dQk2Yb7sXo1pZr8Tn"';

function parameters(): Record<string, ParameterObject> {
  return {
    RecordId: {
      name: "id",
      in: "path",
      required: true,
      description: "The record's id.",
      schema: jsonSchemaOf(recordParamsSchema.shape.id, "input"),
      example: "0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90",
    },
    AlertRuleRef: {
      name: "rule",
      in: "path",
      required: true,
      description: "The alert rule's id or its name.",
      schema: jsonSchemaOf(z.string().min(1).max(200), "input"),
      example: "api_latency_high",
    },
    WebhookRef: {
      name: "webhook",
      in: "path",
      required: true,
      description: "The webhook's id or its name.",
      schema: jsonSchemaOf(z.string().min(1).max(200), "input"),
      example: "oncall",
    },
    WindowRuleRef: {
      name: "rule",
      in: "path",
      required: true,
      description: "The aggregation rule's id or its name.",
      schema: jsonSchemaOf(z.string().min(1).max(200), "input"),
      example: "system_metrics_5m",
    },
    DatasetRef: {
      name: "id",
      in: "path",
      required: true,
      description: "The dataset's id or its name.",
      // As app/api/v1/lake/datasets/[id]/route.ts validates it.
      schema: jsonSchemaOf(z.string().min(1).max(200), "input"),
      example: "orders",
    },
    IdempotencyKey: {
      name: "Idempotency-Key",
      in: "header",
      description:
        "Makes a retry safe: the first request with a key runs and its answer is stored; a " +
        "retry with the same key and the same body gets that answer again (with " +
        "`Idempotent-Replayed: true`), never a second write. The same key with another body, or " +
        "while the first is still running, is a 409. Failed requests are not stored. Keys are " +
        "per caller.",
      schema: { type: "string", pattern: "^[\\w.:-]{1,255}$" },
      example: "orders-import-2024-05-01",
    },
    IfMatch: {
      name: "If-Match",
      in: "header",
      description:
        "Only act if the record is still this version (its ETag, or `*`); otherwise 412. Without " +
        "it, the last writer wins.",
      schema: { type: "string" },
      examples: { etag: { summary: "An ETag", value: EXAMPLE_ETAG } },
    },
    IfNoneMatch: {
      name: "If-None-Match",
      in: "header",
      description: "An ETag from an earlier read: 304 with no body if the record is unchanged.",
      schema: { type: "string" },
      examples: { etag: { summary: "An ETag", value: EXAMPLE_ETAG } },
    },
  };
}

/** `components` of the document: schemas, shared parameters, headers, responses, security. */
export function buildComponents(): ComponentsObject {
  const requestSchemas = Object.fromEntries(
    Object.entries(REQUEST_BODY_SCHEMAS).map(([name, schema]) => [
      name,
      jsonSchemaOf(schema, "input"),
    ]),
  );
  return {
    schemas: { ...namedOutputSchemas(RESPONSE_SCHEMAS), ...requestSchemas },
    responses: errorResponseComponents(),
    parameters: parameters(),
    headers: headerComponents(),
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "JWT or API key",
        description:
          "`Authorization: Bearer <token>`: an access token from `POST /api/v1/lake/auth/token` " +
          "(one hour) or an API key (`dpl_…`) itself.",
      },
      apiKeyHeader: {
        type: "apiKey",
        in: "header",
        name: "X-API-Key",
        description: "An API key (`dpl_<id>_<secret>`), created in the console.",
      },
    },
  };
}
