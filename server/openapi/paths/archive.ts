import { AUTHENTICATED, jsonBody, jsonResponse } from "../components";
import { errorResponses, RATE_LIMIT_HEADERS } from "../error-responses";
import { type OperationObject, type PathItemObject } from "../openapi-types";

function archiveOperation(archived: boolean): OperationObject {
  const verb = archived ? "Archive" : "Restore";
  return {
    tags: ["Records"],
    operationId: archived ? "archiveRecords" : "restoreRecords",
    summary: `${verb} records`,
    description:
      (archived
        ? "Archives the records of a dataset that match the criteria: archived records leave " +
          "queries (unless `archived=true` or `all`) but are kept. "
        : "Brings archived records that match the criteria back into queries. ") +
      "Only records the caller may write under the dataset's policy are touched, in one " +
      "statement. `filter` takes the payload filters of `GET /api/v1/lake/data`, parsed by the " +
      "same parser, so a filter means the same thing whether it reads or archives.",
    "x-permission": "write",
    security: AUTHENTICATED,
    requestBody: jsonBody("ArchiveRequest", "Which records.", {
      closed: {
        summary: "Closed orders of April",
        value: {
          dataset: "orders",
          created_after: "2024-04-01",
          created_before: "2024-05-01",
          filter: { "payload.status": "eq.closed" },
        },
      },
    }),
    responses: {
      "200": jsonResponse(
        `The records ${archived ? "archived" : "restored"}.`,
        "ArchiveResult",
        RATE_LIMIT_HEADERS,
      ),
      ...errorResponses(400, 401, 403, 404, 413, 415, 429, 500, 503),
    },
  };
}

export function archivePaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/data/archive": { post: archiveOperation(true) },
    "/api/v1/lake/data/restore": { post: archiveOperation(false) },
  };
}
