import { VERSION } from "../version";
import { buildComponents } from "./components";
import { JSON_SCHEMA_DIALECT } from "./json-schema";
import { type OpenAPIObject } from "./openapi-types";
import { alertPaths } from "./paths/alerts";
import { analyticsPaths } from "./paths/analytics";
import { archivePaths } from "./paths/archive";
import { auditPaths } from "./paths/audit";
import { authPaths } from "./paths/auth";
import { dataPaths } from "./paths/data";
import { datasetPaths } from "./paths/datasets";
import { importPaths } from "./paths/imports";
import { streamPaths } from "./paths/streams";
import { systemPaths } from "./paths/system";
import { vectorPaths } from "./paths/vectors";
import { windowPaths } from "./paths/windows";

const DESCRIPTION = [
  "The REST API of Datapunk Lake, the central data repository of the Datapunk ecosystem.",
  "**Authentication.** Every `/api/v1/lake` operation except `POST /api/v1/lake/auth/token` needs a credential: `Authorization: Bearer <token or API key>` or `X-API-Key: <API key>` (the console's session cookie works too). What a credential may do is the union of its user's roles' permissions (`read`, `write`, `delete`), narrowed to an API key's scopes.",
  "**Errors.** Every error has one shape, `{error_code, message, details, timestamp}` (ErrorEnvelope); each `error_code` has exactly one HTTP status. Every response carries `X-Request-Id`.",
  "**Rate limits.** The data API allows 1000 requests per hour per principal by default (per key for API keys; a key may carry its own limit). Its answers carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; a refused request is a 429 with `Retry-After`.",
].join("\n\n");

let cached: OpenAPIObject | undefined;

/**
 * The OpenAPI 3.1 document of the REST API. Request bodies are the JSON Schemas of the zod
 * schemas the routes validate with, so the contract cannot say one thing while the code checks
 * another. Pure, so built once per process; callers must not mutate it.
 */
export function buildOpenApiDocument(): OpenAPIObject {
  cached ??= {
    openapi: "3.1.0",
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: { title: "Datapunk Lake API", version: VERSION, description: DESCRIPTION },
    servers: [{ url: "/", description: "This instance" }],
    tags: [
      { name: "Auth", description: "Tokens, and who the credential belongs to." },
      {
        name: "Records",
        description:
          "Create, query, read, replace and delete records, one at a time or in batches.",
      },
      {
        name: "Datasets",
        description: "Named collections of records, with a policy and a schema.",
      },
      {
        name: "Imports",
        description:
          "Resumable bulk imports. Upload with tus 1.0 at `/api/v1/lake/import` (creation, creation-with-upload, termination, expiration; up to 5 GB; `Upload-Metadata` keys `dataset` (required), `format` csv|ndjson|json|auto, `filename`, `delimiter`, `mapping` (JSON), `timestamps`, `gzip`, `trim`, `error_rate`, `start` auto|manual). Each upload becomes a job that validates, transforms and loads the file exactly once; `GET /api/v1/lake/import/{job id}` answers like `GET /api/v1/lake/import/jobs/{id}`.",
      },
      {
        name: "Vectors",
        description:
          "Embeddings on records (1536 dimensions), similarity search, and self-tuning ANN indexes.",
      },
      {
        name: "Streams",
        description:
          "Events in (REST here, gRPC on port 50051) and out live (WebSocket or server-sent " +
          "events), in one ordered log: every event has an offset to resume after.",
      },
      {
        name: "Windows",
        description:
          "Aggregation rules, and the windows the engine closes: count, avg, max, min and sum " +
          "of a topic's events per window and group, computed as events arrive.",
      },
      {
        name: "Alerts",
        description:
          "Threshold and trend conditions on windows, their states and timelines, and the " +
          "signed webhooks that hear when they fire and resolve.",
      },
      {
        name: "Analytics",
        description:
          "Time series from the windows, and activity over the records and imports, for a time range and step.",
      },
      {
        name: "Audit",
        description:
          "The audit log of sign-ins, administration and data changes, for administrators.",
      },
      { name: "System", description: "Health, readiness and metrics: no credential needed." },
    ],
    paths: {
      ...authPaths(),
      ...dataPaths(),
      ...archivePaths(),
      ...datasetPaths(),
      ...importPaths(),
      ...vectorPaths(),
      ...streamPaths(),
      ...windowPaths(),
      ...alertPaths(),
      ...analyticsPaths(),
      ...auditPaths(),
      ...systemPaths(),
    },
    components: buildComponents(),
  };
  return cached;
}
