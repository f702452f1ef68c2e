import { type TRPC_ERROR_CODE_KEY, type TRPCError } from "@trpc/server";
import { ZodError } from "zod";

import { AppError, type ErrorCode } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";

/** The tRPC code for each of our HTTP statuses, so tRPC answers with the same status as REST. */
export const TRPC_CODE: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  409: "CONFLICT",
  412: "PRECONDITION_FAILED",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
};

// What tRPC itself refuses before a procedure runs: input that is not JSON, a batch that is not an
// object, an unknown path, a query sent as POST, a body that is not application/json.
const REFUSALS: Partial<Record<TRPC_ERROR_CODE_KEY, ErrorCode>> = {
  PARSE_ERROR: "invalid_json",
  BAD_REQUEST: "bad_request",
  NOT_FOUND: "not_found",
  METHOD_NOT_SUPPORTED: "method_not_allowed",
  PAYLOAD_TOO_LARGE: "payload_too_large",
  UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
};

/**
 * The AppError behind a TRPCError. Ours (and zod's) travel as its cause. Any other client error
 * was raised by tRPC itself; its cause, when there is one, is a parser's (`JSON.parse` on
 * `?input=garbage` or an empty body), which toAppError would call internal, making the client's
 * mistake a 500.
 */
export function appErrorOf(error: TRPCError): AppError {
  const { cause } = error;
  if (cause instanceof AppError || cause instanceof ZodError) return toAppError(cause);
  const code = REFUSALS[error.code];
  if (!code) return toAppError(cause ?? error);
  if (cause instanceof SyntaxError || code === "invalid_json") {
    return new AppError("invalid_json", "The input is not valid JSON.", { reason: error.message });
  }
  return new AppError(code, error.message);
}
