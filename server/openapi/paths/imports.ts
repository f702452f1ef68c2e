import { AUTHENTICATED, jsonBody, jsonResponse } from "../components";
import { errorResponses, RATE_LIMIT_HEADERS } from "../error-responses";
import { type ParameterObject, type PathItemObject } from "../openapi-types";

const IMPORTS = ["Imports"];

const jobId: ParameterObject = {
  name: "id",
  in: "path",
  required: true,
  description: "The import job's id (a UUID; tus upload ids are 32 hex digits).",
  schema: { type: "string", format: "uuid" },
  example: "6f1c2b0e-8a4d-4e57-9b1f-0c3d2e4f5a6b",
};

export function importPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/import/jobs": {
      get: {
        tags: IMPORTS,
        operationId: "listImportJobs",
        summary: "Import history",
        description:
          "Newest first, keyset-paginated: the caller's own imports, everyone's for administrators.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [
          {
            name: "status",
            in: "query",
            description: "Only imports in this status.",
            schema: {
              type: "string",
              enum: ["uploading", "queued", "running", "succeeded", "failed", "cancelled"],
            },
          },
          {
            name: "limit",
            in: "query",
            description: "Page size, 1–100 (20).",
            schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
          },
          {
            name: "cursor",
            in: "query",
            description: "`next_cursor` of the previous page.",
            schema: { type: "string" },
          },
        ],
        responses: {
          "200": jsonResponse("One page of imports.", "ImportJobPage", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 429, 500, 503),
        },
      },
      post: {
        tags: IMPORTS,
        operationId: "startImportJob",
        summary: "Start the import of a complete upload",
        description:
          "For an upload created with `start=manual` (or whose automatic start was lost): queues " +
          "its job. 409 when the upload is incomplete or the job already started or ended.",
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("StartImportRequest", "The tus upload to import.", {
          one: { summary: "An upload", value: { upload_id: "4c0d9e2b7a1f4e3d8c6b5a4f3e2d1c0b" } },
        }),
        responses: {
          "202": jsonResponse("Queued.", "ImportJob", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 409, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/import/jobs/{id}": {
      get: {
        tags: IMPORTS,
        operationId: "getImportJob",
        summary: "Import progress",
        description:
          "Bytes received, rows validated/transformed/accepted/rejected/loaded, the current " +
          "stage, each stage's state, throughput (rows/s) and ETA (s).",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [jobId],
        responses: {
          "200": jsonResponse("The import.", "ImportJob", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/import/jobs/{id}/cancel": {
      post: {
        tags: IMPORTS,
        operationId: "cancelImportJob",
        summary: "Cancel an import",
        description:
          "Stops it wherever it is and removes every row it loaded; an upload in flight is " +
          "deleted, a complete one kept for a retry. 409 once the import has ended.",
        "x-permission": "write",
        security: AUTHENTICATED,
        parameters: [jobId],
        responses: {
          "200": jsonResponse("Cancelled.", "ImportJob", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 409, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/import/jobs/{id}/retry": {
      post: {
        tags: IMPORTS,
        operationId: "retryImportJob",
        summary: "Retry a failed or cancelled import",
        description: "Runs every stage again from the kept upload. 409 when the file is gone.",
        "x-permission": "write",
        security: AUTHENTICATED,
        parameters: [jobId],
        responses: {
          "202": jsonResponse("Queued again.", "ImportJob", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 409, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/import/jobs/{id}/errors": {
      get: {
        tags: IMPORTS,
        operationId: "getImportErrorReport",
        summary: "Download the error report",
        description:
          "CSV with `line,column,reason`, one row per rejected row, in line order (at most 10000).",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [jobId],
        responses: {
          "200": {
            description: "The report.",
            headers: RATE_LIMIT_HEADERS,
            content: {
              "text/csv": {
                schema: { type: "string" },
                example: "line,column,reason\r\n12,amount,/amount must be number\r\n",
              },
            },
          },
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/import/jobs/{id}/events": {
      get: {
        tags: IMPORTS,
        operationId: "streamImportEvents",
        summary: "Live progress (server-sent events)",
        description:
          "`event: progress` with an ImportJob as `data`: first the current state, then every " +
          "update (at most every 250 ms) until the import ends.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [jobId],
        responses: {
          "200": {
            description: "An event stream.",
            headers: RATE_LIMIT_HEADERS,
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
  };
}
