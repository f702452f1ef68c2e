import { AUTHENTICATED, jsonBody, jsonResponse, parameterRef } from "../components";
import { errorResponses, RATE_LIMIT_HEADERS } from "../error-responses";
import { type PathItemObject } from "../openapi-types";

const WINDOWS = ["Windows"];

export function windowPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/windows/rules": {
      get: {
        tags: WINDOWS,
        operationId: "listAggregationRules",
        summary: "List aggregation rules",
        description: "Every rule the window engine applies, sorted by name.",
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The rules.", "AggregationRuleList", RATE_LIMIT_HEADERS),
          ...errorResponses(401, 403, 429, 500, 503),
        },
      },
      post: {
        tags: WINDOWS,
        operationId: "createAggregationRule",
        summary: "Create an aggregation rule",
        description:
          "Events of `topic` stored from now on are aggregated in tumbling windows of " +
          "`window_seconds` (aligned to the epoch), per distinct value of the `group_by` keys " +
          "(an owner_only topic's windows are also per owner), with `functions` over `field`. " +
          "A window closes `grace_seconds` after its end; an event arriving later is kept as late " +
          "(not aggregated). A taken name is a 409.",
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("AggregationRuleRequest", "The rule.", {
          latency: {
            summary: "API latency per endpoint, every 5 minutes",
            value: {
              name: "api_latency_5m",
              topic: "user_events",
              window_seconds: 300,
              grace_seconds: 60,
              functions: ["count", "avg", "max"],
              field: "payload.latency_ms",
              group_by: ["payload.endpoint"],
            },
          },
        }),
        responses: {
          "201": jsonResponse("Created.", "AggregationRule", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/windows/rules/{rule}": {
      get: {
        tags: WINDOWS,
        operationId: "getAggregationRule",
        parameters: [parameterRef("WindowRuleRef")],
        summary: "Read an aggregation rule",
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The rule.", "AggregationRule", RATE_LIMIT_HEADERS),
          ...errorResponses(401, 403, 404, 429, 500, 503),
        },
      },
      delete: {
        tags: WINDOWS,
        operationId: "deleteAggregationRule",
        parameters: [parameterRef("WindowRuleRef")],
        summary: "Delete an aggregation rule",
        description: "With its stored windows. Its creator or an administrator.",
        "x-permission": "delete",
        security: AUTHENTICATED,
        responses: {
          "204": { description: "Deleted.", headers: RATE_LIMIT_HEADERS },
          ...errorResponses(401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/windows/rules/{rule}/recompute": {
      post: {
        tags: WINDOWS,
        operationId: "recomputeWindow",
        summary: "Recompute a closed window",
        description:
          "Every group of one closed window, recomputed from the events the log still holds — " +
          "late ones included — and stored over what the engine stored. A window still open is " +
          "a 409. The rule's creator or an administrator.",
        parameters: [parameterRef("WindowRuleRef")],
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("RecomputeWindowRequest", "Which window.", {
          window: {
            summary: "The 10:00 window",
            value: { window_start: "2026-12-05T10:00:00Z" },
          },
        }),
        responses: {
          "200": jsonResponse("Recomputed.", "RecomputeResult", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/windows/rules/{rule}/windows": {
      get: {
        tags: WINDOWS,
        operationId: "listWindows",
        summary: "A rule's closed windows",
        description:
          "Windows overlapping [from, to), oldest first. An owner_only topic's windows are each " +
          "owner's: the caller sees its own, an administrator everyone's. Live: subscribe to " +
          "the `windows` topic.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [
          parameterRef("WindowRuleRef"),
          {
            name: "from",
            in: "query",
            description: "ISO 8601; default: a day before `to`.",
            schema: { type: "string", format: "date-time" },
          },
          {
            name: "to",
            in: "query",
            description: "ISO 8601; default: now.",
            schema: { type: "string", format: "date-time" },
          },
          {
            name: "limit",
            in: "query",
            schema: { type: "integer", minimum: 1, maximum: 10000, default: 1000 },
          },
        ],
        responses: {
          "200": jsonResponse("The windows.", "WindowList", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
  };
}
