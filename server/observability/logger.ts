import pino from "pino";

import { env } from "../env";
import { singleton } from "../singleton";
import { traceFields } from "./trace-context";

/**
 * Structured JSON logs on stdout. Secrets never reach it: auth headers and cookies are redacted.
 * A line written inside a trace carries its `trace_id` and `span_id` (tracing.ts).
 */
export const logger = () =>
  singleton("logger", () =>
    pino({
      level: env().LOG_LEVEL,
      base: { service: "datapunk-lake" },
      mixin: traceFields,
      redact: {
        // A WebSocket credential may ride in the subprotocol list (lake.bearer.<token>).
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          "req.headers['x-api-key']",
          "req.headers['sec-websocket-protocol']",
        ],
        censor: "[redacted]",
      },
    }),
  );
