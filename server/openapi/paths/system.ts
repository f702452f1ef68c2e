import { jsonResponse } from "../components";
import { errorResponses } from "../error-responses";
import { type PathItemObject } from "../openapi-types";

const SYSTEM = ["System"];

/** Probes and metrics for operators, and this document itself: no credential needed. */
export function systemPaths(): Record<string, PathItemObject> {
  return {
    "/health": {
      get: {
        tags: SYSTEM,
        operationId: "getHealth",
        summary: "Liveness",
        description: "Answers while the process runs; calls no dependency.",
        "x-permission": "none",
        security: [],
        responses: {
          "200": jsonResponse("The process is alive.", "Health"),
          ...errorResponses(500),
        },
      },
    },
    "/ready": {
      get: {
        tags: SYSTEM,
        operationId: "getReadiness",
        summary: "Readiness",
        description:
          "`checks` lists `postgres` (critical), `redis`, then the optional dependencies " +
          "(`stream`, `cortex`) with their circuit breakers. 200 while PostgreSQL answers " +
          "(`degraded` when a non-critical one is down); 503 in the error envelope, with the " +
          "report in `details`, when it does not, and from SIGTERM on (`draining`).",
        "x-permission": "none",
        security: [],
        responses: {
          "200": jsonResponse("Ready to serve.", "Readiness"),
          ...errorResponses(500, 503),
        },
      },
    },
    "/metrics": {
      get: {
        tags: SYSTEM,
        operationId: "getMetrics",
        summary: "Prometheus metrics",
        description:
          "`request_rate` (counter by endpoint pattern, method and status), `latency` " +
          "(histogram), `circuit_breaker_state` and `retry_budget_tokens` per outbound " +
          "dependency, and the Node process defaults.",
        "x-permission": "none",
        security: [],
        responses: {
          "200": {
            description: "The Prometheus text exposition format (version 0.0.4).",
            content: { "text/plain": { schema: { type: "string" } } },
          },
          ...errorResponses(500),
        },
      },
    },
    "/api/v1/lake/openapi.json": {
      get: {
        tags: SYSTEM,
        operationId: "getOpenApiDocument",
        summary: "This API description",
        description:
          "The OpenAPI 3.1 document of this API, generated from the schemas that validate its " +
          "requests. Public: it is the contract, and holds no data.",
        "x-permission": "none",
        security: [],
        responses: {
          "200": {
            description: "An OpenAPI 3.1 document.",
            content: { "application/json": { schema: { type: "object" } } },
          },
          ...errorResponses(500),
        },
      },
    },
  };
}
