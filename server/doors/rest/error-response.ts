import { type AppError } from "../../errors/app-error";
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
    details: error.details ?? null,
    timestamp: new Date().toISOString(),
  };
}

/** The envelope as answered: an internal error shows only the request id that finds its log. */
export function answeredEnvelope(error: AppError, requestId: string): ErrorEnvelope {
  return error.code === "internal_error"
    ? { ...errorEnvelope(error), details: { request_id: requestId } }
    : errorEnvelope(error);
}

export function errorResponse(error: AppError, requestId: string): Response {
  return jsonResponse(answeredEnvelope(error, requestId), {
    status: error.status,
    headers: { ...error.headers, "X-Request-Id": requestId },
  });
}
