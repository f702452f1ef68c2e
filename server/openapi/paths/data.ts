import { AUTHENTICATED, jsonBody, jsonResponse, parameterRef } from "../components";
import { errorResponses, headerRef, RATE_LIMIT_HEADERS } from "../error-responses";
import { schemaRef } from "../json-schema";
import { type PathItemObject } from "../openapi-types";
import { recordQueryParameters } from "./record-query-parameters";

const RECORDS = ["Records"];
const ETAG = { ETag: headerRef("ETag"), ...RATE_LIMIT_HEADERS };
const examplePayload = { status: "paid", total: 129.5, customer: { city: "Lyon" } };

export function dataPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/data": {
      get: {
        tags: RECORDS,
        operationId: "queryRecords",
        summary: "Query records",
        description:
          "Filters on the payload, sort, field selection and keyset pagination. With `dataset`, " +
          "its policy decides what the caller sees (`user_data`: only its own records, unless " +
          "it is an administrator; `analytics`: every record). Any parameter, operator, path or " +
          "value the API does not know is a 400 naming it. Follow `next_cursor` until it is null.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: recordQueryParameters(),
        responses: {
          "200": jsonResponse("One page of records.", "RecordPage", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
      post: {
        tags: RECORDS,
        operationId: "createRecords",
        summary: "Create records",
        description:
          "One record (`payload`) or up to 1000 (`records`), all or nothing: each payload must " +
          "satisfy the dataset's JSON Schema, and a 400 lists every failing record and path. " +
          "The caller owns what it creates. Larger loads belong to the resumable import.",
        "x-permission": "write",
        security: AUTHENTICATED,
        parameters: [parameterRef("IdempotencyKey")],
        requestBody: jsonBody("CreateRecordsRequest", "One payload, or many.", {
          one: { summary: "One record", value: { dataset: "orders", payload: examplePayload } },
          many: {
            summary: "Several records",
            value: { dataset: "orders", records: [examplePayload, { status: "new", total: 12 }] },
          },
        }),
        responses: {
          "201": {
            description:
              "Created: the record for a `payload` request, `{records, count}` for `records`.",
            headers: {
              "Idempotent-Replayed": headerRef("Idempotent-Replayed"),
              ...RATE_LIMIT_HEADERS,
            },
            content: {
              "application/json": {
                schema: { oneOf: [schemaRef("RecordView"), schemaRef("CreatedRecords")] },
              },
            },
          },
          ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/data/export": {
      get: {
        tags: RECORDS,
        operationId: "exportRecords",
        summary: "Export a query's records",
        description:
          "Every record `GET /api/v1/lake/data` would page through for the same filters, order " +
          "and selection, as one download, under the same permission and dataset policy. " +
          "Streamed: read from the database a page at a time, as the client takes it, so any " +
          "size can be exported. Refusals come before the first byte, in the error envelope. " +
          "CSV has one column per record field, then `payload.<key>` for the dataset schema's " +
          "properties and the keys of the first records (or the selected paths), then " +
          "`payload_other`: any other payload keys, as JSON. Nested values are JSON, quoted " +
          "per RFC 4180. NDJSON has one record (as `GET /data` returns it) per line.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [
          ...recordQueryParameters().filter(
            (parameter) => !["limit", "cursor", "count"].includes(parameter.name),
          ),
          {
            name: "format",
            in: "query",
            description: "`csv` (the default) or `ndjson`.",
            schema: { type: "string", enum: ["csv", "ndjson"], default: "csv" },
            example: "csv",
          },
        ],
        responses: {
          "200": {
            description:
              "The records, as an attachment named after the dataset and the time " +
              "(`Content-Disposition`).",
            headers: RATE_LIMIT_HEADERS,
            content: {
              "text/csv": {
                schema: { type: "string" },
                example:
                  "id,created_at,payload.status,payload.total,payload_other\r\n" +
                  '0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90,2024-05-01T12:00:00.000Z,paid,129.5,"{""customer"":{""city"":""Lyon""}}"\r\n',
              },
              "application/x-ndjson": {
                schema: { type: "string" },
                example:
                  '{"id":"0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90","payload":{"status":"paid"}}\n',
              },
            },
          },
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/data/{id}": {
      get: {
        tags: RECORDS,
        operationId: "getRecord",
        summary: "Read a record",
        description:
          "One record with its `ETag`. Another owner's record in a `user_data` dataset is a 404.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [parameterRef("RecordId"), parameterRef("IfNoneMatch")],
        responses: {
          "200": jsonResponse("The record.", "RecordView", ETAG),
          "304": {
            description: "Not modified: the `If-None-Match` ETag is current.",
            headers: ETAG,
          },
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
      put: {
        tags: RECORDS,
        operationId: "replaceRecord",
        summary: "Replace a record's payload",
        description:
          "Replaces the payload whole (it must satisfy the dataset's schema). With `If-Match`, " +
          "only the version that was read is replaced; a concurrent change is a 412.",
        "x-permission": "write",
        security: AUTHENTICATED,
        parameters: [parameterRef("RecordId"), parameterRef("IfMatch")],
        requestBody: jsonBody("ReplaceRecordRequest", "The new payload.", {
          payload: {
            summary: "A new payload",
            value: { payload: { ...examplePayload, status: "shipped" } },
          },
        }),
        responses: {
          "200": jsonResponse("The record as replaced, with its new ETag.", "RecordView", ETAG),
          ...errorResponses(400, 401, 403, 404, 412, 413, 415, 429, 500, 503),
        },
      },
      delete: {
        tags: RECORDS,
        operationId: "deleteRecord",
        summary: "Delete a record",
        description: "Needs the delete permission; honours `If-Match` like PUT.",
        "x-permission": "delete",
        security: AUTHENTICATED,
        parameters: [parameterRef("RecordId"), parameterRef("IfMatch")],
        responses: {
          "204": { description: "Deleted.", headers: RATE_LIMIT_HEADERS },
          ...errorResponses(400, 401, 403, 404, 412, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/batch": {
      post: {
        tags: RECORDS,
        operationId: "runBatch",
        summary: "Run several record operations",
        description:
          "Up to 100 creates, updates and deletes. Atomic by default: one transaction, and the " +
          "first failing operation rolls everything back and answers its own status, with " +
          "`details.index` naming it. With `atomic: false`, each runs on its own and the 200 " +
          "lists a result per operation, failures included. Each operation needs the " +
          "permission of its single-record endpoint.",
        "x-permission": "authenticated",
        security: AUTHENTICATED,
        requestBody: jsonBody("BatchRequest", "The operations, in order.", {
          mixed: {
            summary: "Create, update and delete",
            value: {
              operations: [
                { op: "create", dataset: "orders", payload: examplePayload },
                {
                  op: "update",
                  id: "0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90",
                  payload: { status: "shipped" },
                  if_match: '"kY1cJ9v0m3dQk2Yb7sXo1pZr8Tn"',
                },
                { op: "delete", id: "5a3f1c2d-8e7b-4c6a-9d0e-1f2a3b4c5d6e" },
              ],
              atomic: true,
            },
          },
        }),
        responses: {
          "200": jsonResponse("A result per operation.", "BatchResponse", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 412, 413, 415, 429, 500, 503),
        },
      },
    },
  };
}
