import { AUTHENTICATED, jsonBody, jsonResponse, parameterRef } from "../components";
import { errorResponses, RATE_LIMIT_HEADERS } from "../error-responses";
import { type PathItemObject } from "../openapi-types";

const DATASETS = ["Datasets"];

const orderSchema = {
  type: "object",
  required: ["status", "total"],
  properties: { status: { type: "string" }, total: { type: "number", minimum: 0 } },
};

export function datasetPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/datasets": {
      get: {
        tags: DATASETS,
        operationId: "listDatasets",
        summary: "List datasets",
        description:
          "Every dataset, sorted by name. `record_count` counts the non-archived records the " +
          "caller can see.",
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The datasets.", "DatasetList", RATE_LIMIT_HEADERS),
          ...errorResponses(401, 403, 429, 500, 503),
        },
      },
      post: {
        tags: DATASETS,
        operationId: "createDataset",
        summary: "Create a dataset",
        description:
          "A new, empty dataset owned by the caller. A taken name is a 409; a `schema` that is " +
          "not a JSON Schema (2020-12) with an object root is a 400.",
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("CreateDatasetRequest", "The dataset.", {
          orders: {
            summary: "With a schema",
            value: {
              name: "orders",
              description: "Orders from the web shop",
              policy: "user_data",
              schema: orderSchema,
            },
          },
        }),
        responses: {
          "201": jsonResponse("Created.", "DatasetView", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/datasets/{id}": {
      get: {
        tags: DATASETS,
        operationId: "getDataset",
        summary: "Read a dataset",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [parameterRef("DatasetRef")],
        responses: {
          "200": jsonResponse("The dataset.", "DatasetView", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
      patch: {
        tags: DATASETS,
        operationId: "updateDataset",
        summary: "Change a dataset",
        description:
          "Description, policy or schema; omitted fields stay as they are, and the name never " +
          "changes. Only the dataset's owner or an administrator may. A new schema applies to " +
          "later writes: existing records are not re-validated. A policy change applies at once.",
        "x-permission": "write",
        security: AUTHENTICATED,
        parameters: [parameterRef("DatasetRef")],
        requestBody: jsonBody("UpdateDatasetRequest", "The fields to change.", {
          policy: { summary: "Share with analysts", value: { policy: "analytics" } },
          dropSchema: { summary: "Remove the schema", value: { schema: null } },
        }),
        responses: {
          "200": jsonResponse("The dataset as changed.", "DatasetView", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
        },
      },
      delete: {
        tags: DATASETS,
        operationId: "deleteDataset",
        summary: "Delete a dataset",
        description:
          "Only the dataset's owner or an administrator may. A dataset that still has records " +
          "is a 409 unless `force=true`, which deletes them with it (archived ones and other " +
          "users' included).",
        "x-permission": "delete",
        security: AUTHENTICATED,
        parameters: [
          parameterRef("DatasetRef"),
          {
            name: "force",
            in: "query",
            description: "`true`: delete the dataset's records too.",
            // As the route validates it: z.enum(["true", "false"]).default("false").
            schema: { type: "string", enum: ["true", "false"], default: "false" },
          },
        ],
        responses: {
          "204": { description: "Deleted.", headers: RATE_LIMIT_HEADERS },
          ...errorResponses(400, 401, 403, 404, 409, 429, 500, 503),
        },
      },
    },
  };
}
