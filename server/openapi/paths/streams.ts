import { AUTHENTICATED, jsonBody, jsonResponse } from "../components";
import { errorResponses, RATE_LIMIT_HEADERS } from "../error-responses";
import { type PathItemObject } from "../openapi-types";

const STREAMS = ["Streams"];

export function streamPaths(): Record<string, PathItemObject> {
  return {
    "/api/v1/lake/stream/events": {
      post: {
        tags: STREAMS,
        operationId: "ingestEvents",
        summary: "Send events",
        description:
          'One event, or `{"events": [...]}` (up to 1000). Topics `user_events` (the ' +
          "producer's own: only it and administrators receive them) and `system_metrics` " +
          "(payload `{host, name, value, labels?, timestamp?}`, every reader receives them). " +
          "Each event needs `partition_key` and `event_time`; `id` (or `producer_id` + " +
          "`sequence`) makes a retry store nothing twice. Batches are not atomic: 201 when every " +
          "event is stored, 207 when some are refused (listed by index in `errors`, the others " +
          "stored), 400 when none is valid.",
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("IngestEventsRequest", "One event or a batch.", {
          one: {
            summary: "A click",
            value: {
              id: "evt-1",
              topic: "user_events",
              partition_key: "user-42",
              event_time: "2026-12-04T10:00:00Z",
              payload: { action: "click", page: "/pricing" },
            },
          },
        }),
        responses: {
          "201": jsonResponse("Every event stored.", "IngestResult", RATE_LIMIT_HEADERS),
          "207": jsonResponse(
            "Some events refused, the others stored.",
            "IngestResult",
            RATE_LIMIT_HEADERS,
          ),
          ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/stream": {
      get: {
        tags: STREAMS,
        operationId: "streamEvents",
        summary: "Follow events live (SSE; WebSocket on the same path)",
        description:
          "With `Accept: text/event-stream`: server-sent events, each with `id` = its offset, " +
          "`event` = its topic and `data` = the event. Reconnecting with `Last-Event-ID` (an " +
          "EventSource does) resumes with no gap and no duplicate. With `Upgrade: websocket`: the " +
          "same stream in the `lake.v1` protocol (README: Real-time streams). Each event reaches " +
          "only subscribers who may read it. Filters use the data API's syntax on the payload.",
        "x-permission": "read",
        security: AUTHENTICATED,
        parameters: [
          {
            name: "topics",
            in: "query",
            required: true,
            description:
              "Comma-separated: user_events, system_metrics, records, imports, windows, alerts.",
            schema: { type: "string" },
            example: "user_events,system_metrics",
          },
          {
            name: "dataset",
            in: "query",
            description: "With the records topic: the dataset (id or name) to follow.",
            schema: { type: "string" },
          },
          {
            name: "after",
            in: "query",
            description: "Resume after this offset (Last-Event-ID wins); unset: from now.",
            schema: { type: "string", pattern: "^\\d{1,19}$" },
          },
          {
            name: "Last-Event-ID",
            in: "header",
            description: "The last offset received: resume after it.",
            schema: { type: "string", pattern: "^\\d{1,19}$" },
          },
        ],
        responses: {
          "200": {
            description: "The stream, until the client leaves.",
            headers: RATE_LIMIT_HEADERS,
            content: { "text/event-stream": { schema: { type: "string" } } },
          },
          ...errorResponses(400, 401, 403, 404, 410, 429, 500, 503),
        },
      },
    },
  };
}
