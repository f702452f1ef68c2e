import { AUTHENTICATED, jsonBody, jsonResponse, parameterRef } from "../components";
import { errorResponses, RATE_LIMIT_HEADERS } from "../error-responses";
import { jsonSchemaOf } from "../json-schema";
import { type ParameterObject, type PathItemObject } from "../openapi-types";
import { vectorTypeSchema } from "../../vectors/vectors.schemas";

const VECTORS = ["Vectors"];
// Examples stay short: a real vector has 1536 components (the schema says so).
const exampleVector = "[0.0123, -0.0456, … 1536 numbers]";

const vectorTypeParameter: ParameterObject = {
  name: "type",
  in: "path",
  required: true,
  description: "The vector type: TEXT, IMAGE, AUDIO or CUSTOM.",
  schema: jsonSchemaOf(vectorTypeSchema, "input"),
  example: "TEXT",
};

export function vectorPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/data/{id}/embeddings": {
      get: {
        tags: VECTORS,
        operationId: "listEmbeddings",
        summary: "List a record's embeddings",
        description: "One per vector type, with vectors. The record's read rules apply (404).",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [parameterRef("RecordId")],
        responses: {
          "200": jsonResponse("The embeddings.", "EmbeddingList", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/data/{id}/embeddings/{type}": {
      get: {
        tags: VECTORS,
        operationId: "getEmbedding",
        summary: "Read one embedding",
        description: "404 when the record is hidden or has no embedding of this type.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [parameterRef("RecordId"), vectorTypeParameter],
        responses: {
          "200": jsonResponse("The embedding.", "EmbeddingView", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
      put: {
        tags: VECTORS,
        operationId: "putEmbedding",
        summary: "Write a record's embedding of a type",
        description:
          "Inserts or replaces: `{model, vector}` (exactly 1536 finite numbers), or `{text}`, " +
          "embedded by the configured provider (Cortex, else the built-in lexical embedder " +
          "`lake/hashing-v1`). Needs write on the record under its dataset's policy.",
        "x-permission": "write",
        security: AUTHENTICATED,
        parameters: [parameterRef("RecordId"), vectorTypeParameter],
        requestBody: jsonBody("PutEmbeddingRequest", "A vector and its model, or a text.", {
          text: { summary: "Embed a text here", value: { text: "Overdue invoice from ACME" } },
        }),
        responses: {
          "200": jsonResponse("The embedding as stored.", "EmbeddingView", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 500, 503),
        },
      },
      delete: {
        tags: VECTORS,
        operationId: "deleteEmbedding",
        summary: "Delete one embedding",
        description: "Needs write on the record; 404 when there is none of this type.",
        "x-permission": "write",
        security: AUTHENTICATED,
        parameters: [parameterRef("RecordId"), vectorTypeParameter],
        responses: {
          "204": { description: "Deleted.", headers: RATE_LIMIT_HEADERS },
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/vectors/embeddings": {
      post: {
        tags: VECTORS,
        operationId: "writeEmbeddings",
        summary: "Write many embeddings",
        description:
          "Up to 250 `{recordId, type, model, vector}`, all or nothing: an unknown or hidden " +
          "record is a 404 naming its `details.index`, and nothing is written.",
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("BulkEmbeddingsRequest", "The embeddings.", {
          one: {
            summary: "Shape (a real vector has 1536 numbers)",
            value: {
              embeddings: [
                {
                  recordId: "0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90",
                  type: "TEXT",
                  model: "cortex/text-embedding-3-small",
                  vector: Array.from({ length: 1536 }, (_, i) => (i === 0 ? 1 : 0)),
                },
              ],
            },
          },
        }),
        responses: {
          "200": jsonResponse("Stored.", "BulkEmbeddingsResult", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/vectors/search": {
      post: {
        tags: VECTORS,
        operationId: "searchVectors",
        summary: "Similarity search",
        description:
          "Exactly one of `vector`, `text` (embedded by the provider) or `recordId` (that " +
          "record's embedding of `type`; the record is left out of its results). `k` 1–100 " +
          "(10); `metric` cosine (score 1 − d), l2 (score 1/(1+d)) or inner_product (score ⟨a,b⟩). " +
          "`filter` takes a dataset, payload filters in the syntax of `GET /api/v1/lake/data` " +
          "and `includeArchived`. Resource policies hold inside the search (another owner's " +
          "`user_data` records never appear), and a filtered search still returns k results " +
          "when k exist (iterative index scans). At most 100 searches run at once per " +
          `instance; beyond a bounded queue, 503. Example vector: ${exampleVector}.`,
        "x-permission": "read",
        security: AUTHENTICATED,
        requestBody: jsonBody("VectorSearchRequest", "What to search for and where.", {
          text: {
            summary: "By text, filtered",
            value: {
              text: "overdue invoice",
              type: "TEXT",
              k: 10,
              metric: "cosine",
              filter: { dataset: "documents", where: { "payload.status": "eq.open" } },
              minScore: 0.2,
            },
          },
          record: {
            summary: "More like this record",
            value: { recordId: "0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90", type: "TEXT", k: 5 },
          },
        }),
        responses: {
          "200": jsonResponse("The nearest records.", "VectorSearchResult", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/vectors/indexes": {
      get: {
        tags: VECTORS,
        operationId: "listVectorIndexes",
        summary: "ANN index status",
        description:
          "Per type and metric: method, parameters, rows now and at the build, measured " +
          "recall@10, size, last build and live progress. `exact: true` means no ANN index " +
          "(fewer than 1000 rows): search is exact.",
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("Every index.", "IndexStatusList", RATE_LIMIT_HEADERS),
          ...errorResponses(401, 403, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/vectors/indexes/tune": {
      post: {
        tags: VECTORS,
        operationId: "tuneVectorIndex",
        summary: "Rebuild and tune an index",
        description:
          "Administrators only, with the write permission (an admin's read-only key gets 403). " +
          "Starts a background build (CREATE INDEX CONCURRENTLY, writes " +
          "go on) of the type's index for the metric, then tunes probes (ivfflat) or ef_search " +
          "(HNSW) to reach `recallTarget` (0.95) measured against exact search. Answers 202 " +
          "at once; follow `GET /api/v1/lake/vectors/indexes`.",
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("TuneIndexRequest", "Which index, and how.", {
          hnsw: {
            summary: "HNSW for cosine on TEXT",
            value: { type: "TEXT", metric: "cosine", method: "hnsw", recallTarget: 0.95 },
          },
        }),
        responses: {
          "202": jsonResponse("Accepted: the index's state.", "IndexStatus", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503),
        },
      },
    },
  };
}
