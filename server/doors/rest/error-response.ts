import { type AppError } from "../../errors/app-error";
import { activeTraceId } from "../../observability/trace-context";
import { jsonResponse } from "./json-response";

/** The seed's error envelope: the only shape an API error ever has. */
export type ErrorEnvelope = {
  error_code: string;
  message: string;
  details: unknown;
  timestamp: string;
};

export function errorEnvelope(error: AppError): ErrorEnvelope {
  return {
    error_code: error.code,
    message: error.message,
    details: envelopeDetails(error),
    timestamp: new Date().toISOString(),
  };
}

/**
 * An error's details as every door answers them: a 5xx adds the request's `trace_id` when a trace
 * is running, so an operator goes from the answer a client reports to the trace and its log lines.
 */
export function envelopeDetails(error: AppError, details: unknown = error.details): unknown {
  const traceId = error.status >= 500 ? activeTraceId() : undefined;
  if (!traceId) return details ?? null;
  if (details === undefined || details === null) return { trace_id: traceId };
  if (typeof details === "object" && !Array.isArray(details))
    return { ...details, trace_id: traceId };
  return details;
}

/** The envelope as answered: an internal error shows only the ids that find its log and trace. */
export function answeredEnvelope(error: AppError, requestId: string): ErrorEnvelope {
  return error.code === "internal_error"
    ? { ...errorEnvelope(error), details: envelopeDetails(error, { request_id: requestId }) }
    : errorEnvelope(error);
}

export function errorResponse(error: AppError, requestId: string): Response {
  return jsonResponse(answeredEnvelope(error, requestId), {
    status: error.status,
    headers: { ...error.headers, "X-Request-Id": requestId },
  });
}
