import { AUTHENTICATED, jsonResponse } from "../components";
import { errorResponses, RATE_LIMIT_HEADERS } from "../error-responses";
import { type ParameterObject, type PathItemObject } from "../openapi-types";

const ANALYTICS = ["Analytics"];

const RANGE: ParameterObject[] = [
  {
    name: "from",
    in: "query",
    required: true,
    description: "ISO 8601 with an offset.",
    schema: { type: "string", format: "date-time" },
    example: "2026-12-05T00:00:00Z",
  },
  {
    name: "to",
    in: "query",
    required: true,
    description: "After from; at most 10,000 steps later.",
    schema: { type: "string", format: "date-time" },
    example: "2026-12-06T00:00:00Z",
  },
  {
    name: "step",
    in: "query",
    required: true,
    description:
      "Seconds per point. An inverted range, or one too long for its step, is a 400 naming the step that fits.",
    schema: { type: "integer", minimum: 1 },
    example: 300,
  },
];

export function analyticsPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/analytics/series": {
      get: {
        tags: ANALYTICS,
        operationId: "windowSeries",
        summary: "A time series from windows",
        description:
          "An aggregation rule's stored windows in [from, to), merged into steps (a whole number " +
          "of windows) and into the kept group keys: counts and sums add, avg is their quotient, " +
          "min and max of the parts. An owner_only topic counts the caller's own windows.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [
          {
            name: "rule",
            in: "query",
            required: true,
            description: "The aggregation rule (id or name).",
            schema: { type: "string" },
            example: "system_metrics_5m",
          },
          {
            name: "function",
            in: "query",
            required: true,
            schema: { type: "string", enum: ["count", "avg", "max", "min", "sum"] },
            example: "avg",
          },
          {
            name: "group_by",
            in: "query",
            description:
              "Keys of the rule's group_by to keep (comma-separated); empty: one series.",
            schema: { type: "string" },
          },
          ...RANGE,
        ],
        responses: {
          "200": jsonResponse("The series.", "WindowSeries", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/analytics/records": {
      get: {
        tags: ANALYTICS,
        operationId: "recordActivity",
        summary: "Record activity",
        description:
          "Records created, updated and deleted per dataset and step. Updates and deletions come " +
          "from the event log, as far back as it keeps. Owner-only datasets count the caller's own records.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [
          {
            name: "dataset",
            in: "query",
            description: "One dataset (id or name); all visible ones when omitted.",
            schema: { type: "string" },
          },
          ...RANGE,
        ],
        responses: {
          "200": jsonResponse("The activity.", "RecordActivity", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/analytics/imports": {
      get: {
        tags: ANALYTICS,
        operationId: "importVolume",
        summary: "Import volume",
        description:
          "Imports finished per step: jobs by outcome, rows loaded and rejected, bytes. The caller's own.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: RANGE,
        responses: {
          "200": jsonResponse("The volume.", "ImportVolume", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 429, 500, 503),
        },
      },
    },
  };
}
