import pino from "pino";

import { env } from "../env";
import { singleton } from "../singleton";

/** Structured JSON logs on stdout. Secrets never reach it: auth headers and cookies are redacted. */
export const logger = () =>
  singleton("logger", () =>
    pino({
      level: env().LOG_LEVEL,
      base: { service: "datapunk-lake" },
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
