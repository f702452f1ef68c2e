import { AUTHENTICATED, jsonBody, jsonResponse, parameterRef } from "../components";
import { errorResponses, RATE_LIMIT_HEADERS } from "../error-responses";
import { type PathItemObject } from "../openapi-types";

const ALERTS = ["Alerts"];

export function alertPaths(): Record<string, PathItemObject> {
  const rule = parameterRef("AlertRuleRef");
  const webhook = parameterRef("WebhookRef");
  return {
    "/api/v1/lake/alerts/rules": {
      get: {
        tags: ALERTS,
        operationId: "listAlertRules",
        summary: "List alert rules",
        description: "Every alert rule, sorted by name, with how many groups are in each state.",
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The rules.", "AlertRuleList", RATE_LIMIT_HEADERS),
          ...errorResponses(401, 403, 429, 500, 503),
        },
      },
      post: {
        tags: ALERTS,
        operationId: "createAlertRule",
        summary: "Create an alert rule",
        description:
          "Evaluated per group each time a window of `aggregation` closes. `threshold`: the " +
          "window's `function` value against `threshold`. `trend`: a line fitted to the last " +
          "`trend.windows` windows — its slope per minute, or with `trend.horizon_seconds` the " +
          "value it predicts that far ahead — against `threshold`. States: inactive → pending " +
          "→ firing (once it has held over `for_seconds`) → resolved (once it has not held over " +
          "`keep_firing_for_seconds`). Firing and resolved are announced on the `alerts` topic " +
          "and sent to `webhook`, signed (`Lake-Signature: t=…,v1=HMAC-SHA256(secret, t.body)`).",
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("AlertRuleRequest", "The rule.", {
          threshold: {
            summary: "Mean latency above 500 ms for 10 minutes",
            value: {
              name: "api_latency_high",
              aggregation: "system_metrics_5m",
              function: "avg",
              operator: ">",
              threshold: 500,
              for_seconds: 600,
              keep_firing_for_seconds: 300,
              webhook: "oncall",
            },
          },
          trend: {
            summary: "Disk predicted full within 4 hours",
            value: {
              name: "disk_filling",
              aggregation: "system_metrics_5m",
              function: "max",
              kind: "trend",
              trend: { windows: 12, horizon_seconds: 14_400 },
              operator: ">=",
              threshold: 100,
            },
          },
        }),
        responses: {
          "201": jsonResponse("Created.", "AlertRule", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/alerts/rules/{rule}": {
      get: {
        tags: ALERTS,
        operationId: "getAlertRule",
        summary: "Read an alert rule",
        parameters: [rule],
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The rule.", "AlertRule", RATE_LIMIT_HEADERS),
          ...errorResponses(401, 403, 404, 429, 500, 503),
        },
      },
      delete: {
        tags: ALERTS,
        operationId: "deleteAlertRule",
        summary: "Delete an alert rule",
        description: "With its states and history. Its creator or an administrator.",
        parameters: [rule],
        "x-permission": "delete",
        security: AUTHENTICATED,
        responses: {
          "204": { description: "Deleted.", headers: RATE_LIMIT_HEADERS },
          ...errorResponses(401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/alerts/rules/{rule}/transitions": {
      get: {
        tags: ALERTS,
        operationId: "listAlertTransitions",
        summary: "An alert rule's timeline",
        description: "Its state changes, newest first, each with the value that caused it.",
        parameters: [
          rule,
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000 } },
        ],
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The transitions.", "AlertTransitionList", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/alerts/webhooks": {
      get: {
        tags: ALERTS,
        operationId: "listWebhooks",
        summary: "List webhooks",
        description: "The caller's webhooks (an administrator's: all).",
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The webhooks.", "WebhookList", RATE_LIMIT_HEADERS),
          ...errorResponses(401, 403, 429, 500, 503),
        },
      },
      post: {
        tags: ALERTS,
        operationId: "createWebhook",
        summary: "Create a webhook",
        description:
          "An http(s) endpoint for alert notifications. Its secret is in this answer only. " +
          "Targets on loopback or private networks are refused unless LAKE_WEBHOOK_ALLOW_PRIVATE.",
        "x-permission": "write",
        security: AUTHENTICATED,
        requestBody: jsonBody("WebhookRequest", "The webhook.", {
          oncall: {
            summary: "The on-call channel",
            value: { name: "oncall", url: "https://hooks.example.com/lake" },
          },
        }),
        responses: {
          "201": jsonResponse("Created.", "CreatedWebhook", RATE_LIMIT_HEADERS),
          ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/alerts/webhooks/{webhook}": {
      delete: {
        tags: ALERTS,
        operationId: "deleteWebhook",
        summary: "Delete a webhook",
        parameters: [webhook],
        "x-permission": "delete",
        security: AUTHENTICATED,
        responses: {
          "204": { description: "Deleted.", headers: RATE_LIMIT_HEADERS },
          ...errorResponses(401, 403, 404, 429, 500, 503),
        },
      },
    },
    "/api/v1/lake/alerts/webhooks/{webhook}/deliveries": {
      get: {
        tags: ALERTS,
        operationId: "listWebhookDeliveries",
        summary: "A webhook's delivery log",
        description:
          "The latest deliveries, newest first, each with its attempts (status code or error, " +
          "duration). Five attempts (500 ms → 10 s, ×1.5), then `failed`; while the endpoint's " +
          "circuit is open, deliveries wait for its trial call.",
        parameters: [webhook],
        "x-permission": "read",
        security: AUTHENTICATED,
        responses: {
          "200": jsonResponse("The deliveries.", "WebhookDeliveryList", RATE_LIMIT_HEADERS),
          ...errorResponses(401, 403, 404, 429, 500, 503),
        },
      },
    },
  };
}
