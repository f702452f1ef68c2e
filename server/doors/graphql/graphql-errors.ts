import { type ExecutionResult, GraphQLError } from "graphql";
import { type Plugin } from "graphql-yoga";

import { type AppError, ERROR_STATUS, type ErrorCode } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { envelopeDetails } from "../rest/error-response";

// What GraphQL itself refuses, before any resolver runs, as the envelope's codes.
const REFUSALS: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: "bad_request",
  GRAPHQL_VALIDATION_FAILED: "validation_failed",
  BAD_USER_INPUT: "validation_failed",
  BAD_REQUEST: "bad_request",
  PERSISTED_QUERY_NOT_FOUND: "not_found",
};

const INTERNAL_MESSAGE =
  "Something went wrong on our side; the request id identifies it in our logs.";

/**
 * Every error a GraphQL response carries, in the envelope's terms: `extensions.code` is the
 * error_code REST would answer with, `extensions.details` its details. A service's AppError keeps
 * its message; anything unexpected is logged and shown as internal_error, its message withheld.
 * Idempotent: yoga calls it for what resolvers throw (`maskedErrors.maskError`), and
 * useEnvelopeCodes for every error of every result.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  const graphQLError = error instanceof GraphQLError ? error : undefined;
  const cause = graphQLError ? graphQLError.originalError : error;
  if (graphQLError && (cause === undefined || cause === null || cause instanceof GraphQLError)) {
    // GraphQL's own refusal (syntax, validation, variables) or a guard rail's.
    const code = refusalCode(graphQLError);
    return new GraphQLError(graphQLError.message, {
      nodes: graphQLError.nodes,
      source: graphQLError.source,
      positions: graphQLError.positions,
      path: graphQLError.path,
      extensions: { ...graphQLError.extensions, code },
    });
  }
  const appError = toAppError(cause);
  if (appError.code === "internal_error") logger().error({ err: cause }, "GraphQL resolver failed");
  return new GraphQLError(
    appError.code === "internal_error" ? INTERNAL_MESSAGE : appError.message,
    {
      nodes: graphQLError?.nodes,
      source: graphQLError?.source,
      positions: graphQLError?.positions,
      path: graphQLError?.path,
      extensions: { code: appError.code, ...detailsOf(appError) },
    },
  );
}

/** `extensions.details` as REST's envelope has them: a 5xx's carries the request's trace_id. */
function detailsOf(error: AppError): { details?: unknown } {
  const details = envelopeDetails(error);
  return details === null ? {} : { details };
}

const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === "string" && Object.hasOwn(ERROR_STATUS, code);

/** GraphQL's own refusals in the envelope's terms: by the HTTP status yoga gives, then its code. */
function refusalCode(error: GraphQLError): ErrorCode {
  const { http } = error.extensions as { http?: { status?: number } };
  const status = http?.status;
  if (status === 405) return "method_not_allowed";
  if (status === 413) return "payload_too_large";
  const given = error.extensions.code;
  if (isErrorCode(given)) return given;
  // graphql-js gives variables that do not fit their types no code, only this message form.
  if (given === undefined && error.message.startsWith('Variable "$')) return "validation_failed";
  return (typeof given === "string" && REFUSALS[given]) || "bad_request";
}

/** A result whose errors carry the envelope's codes (for any transport: HTTP, WebSocket). */
export function withEnvelopeCodes(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map(toGraphQLError);
  // No data: the operation never ran (a guard rail's refusal is a validation error too). Per
  // GraphQL over HTTP that is a 4xx, whatever rule raised it.
  if (result.data === undefined) {
    for (const error of errors) {
      const code = error.extensions.code as ErrorCode;
      (error.extensions as Record<string, unknown>).http ??= { status: ERROR_STATUS[code] };
    }
  }
  return { ...result, errors };
}

/** Every result's errors (parse, validation, execution) carry the envelope's codes. */
export function useEnvelopeCodes(): Plugin {
  return {
    onResultProcess(payload) {
      const { result } = payload;
      if (Array.isArray(result)) payload.setResult(result.map(withEnvelopeCodes));
      else if (!(Symbol.asyncIterator in (result as object)))
        payload.setResult(withEnvelopeCodes(result as ExecutionResult));
    },
  };
}

/**
 * A request refused before GraphQL ran it (authentication, rate limit), as a GraphQL response
 * with the status REST would give it, and the refusal's headers (Retry-After, RateLimit-*).
 */
export function graphQLErrorResponse(error: AppError, requestId: string): Response {
  const body = {
    errors: [
      {
        message: error.code === "internal_error" ? INTERNAL_MESSAGE : error.message,
        extensions: {
          code: error.code,
          request_id: requestId,
          ...detailsOf(error),
        },
      },
    ],
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      "Content-Type": "application/graphql-response+json; charset=utf-8",
      ...error.headers,
    },
  });
}
