import { ERROR_STATUS, type ErrorCode } from "../errors/app-error";
import { schemaRef } from "./json-schema";
import { type HeaderObject, type ReferenceObject, type ResponseObject } from "./openapi-types";

/**
 * Every status an /api/v1/lake operation's error can have. 405, 417 and 431 are left out: the
 * server answers them before any operation is chosen (a method the route lacks, an unsupported
 * `Expect`, headers past the limit), so no operation documents them.
 */
export type ErrorStatus = Exclude<(typeof ERROR_STATUS)[ErrorCode], 405 | 417 | 431>;

export const headerRef = (name: string): ReferenceObject => ({
  $ref: `#/components/headers/${name}`,
});

// Keyed by status, so a status added to ERROR_STATUS does not compile until it is documented here.
const ERRORS: Record<
  ErrorStatus,
  { name: string; description: string; example: string; headers?: string[] }
> = {
  400: {
    name: "BadRequest",
    description:
      "The request is invalid: a body that fails validation (zod issues in `details`), JSON that " +
      "does not parse, or a query parameter the API does not accept (`details` names it).",
    example: "The request is invalid.",
  },
  401: {
    name: "Unauthorized",
    description:
      "No credential, or one that is wrong, expired or revoked. A credential that is present but " +
      "invalid is always a 401, never a fall-through to another kind.",
    example: "Authentication required: send a Bearer token or an API key.",
  },
  410: {
    name: "Gone",
    description:
      "A stream resume offset older than the event log keeps (`offset_expired`): " +
      "`details.first_offset` says where the log now starts.",
    example: "Offset 12 is older than the log keeps; it now starts at 5000.",
  },
  403: {
    name: "Forbidden",
    description:
      "The credential is valid but its roles (or the API key's scopes) lack the permission, or " +
      "the action is reserved to the resource's owner or an administrator.",
    example: 'This requires the "write" permission.',
  },
  404: {
    name: "NotFound",
    description:
      "The resource does not exist, or the dataset's `user_data` policy hides it from the caller " +
      "(another owner's record answers 404 so its existence does not leak).",
    example: "The record was not found.",
  },
  409: {
    name: "Conflict",
    description:
      "A unique value is taken, a dataset still has records, or an `Idempotency-Key` was reused " +
      "with another request or is still in progress (then with `Retry-After`).",
    example: "A resource with the same unique value already exists.",
  },
  412: {
    name: "PreconditionFailed",
    description:
      "`If-Match` did not match: the record changed since it was read. `details.current_etag` " +
      "holds the current version; read it again before retrying.",
    example: "The record has changed since you read it (If-Match failed).",
  },
  413: {
    name: "PayloadTooLarge",
    description:
      "The body is larger than the configured limit (`LAKE_MAX_BODY_BYTES`, in `details.max_bytes`).",
    example:
      "The request body is larger than 10485760 bytes. Send large loads to /api/v1/lake/import.",
  },
  415: {
    name: "UnsupportedMediaType",
    description: "The body is not `application/json` (or another `+json` type).",
    example: "The request body must be application/json.",
  },
  429: {
    name: "TooManyRequests",
    description:
      "Rate limited: retry after `Retry-After` seconds. The data API counts per principal (per " +
      "key for API keys) and sends the `RateLimit-*` headers; sign-in and token attempts are " +
      "limited per account and per IP.",
    example: "Rate limit of 1000 requests per hour exceeded.",
    headers: ["Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"],
  },
  500: {
    name: "InternalError",
    description:
      "An unexpected error. The message is always generic; `details.request_id` finds the log line.",
    example: "Internal server error.",
  },
  503: {
    name: "ServiceUnavailable",
    description:
      "PostgreSQL is unreachable (`database_unavailable`) or a query exceeded the statement " +
      "timeout (`service_unavailable`); retry after `Retry-After` seconds.",
    example: "The database is unavailable. Try again shortly.",
    headers: ["Retry-After"],
  },
};

export const ERROR_STATUSES = Object.keys(ERRORS).map(Number) as ErrorStatus[];

function codesFor(status: ErrorStatus): ErrorCode[] {
  return (Object.keys(ERROR_STATUS) as ErrorCode[]).filter((code) => ERROR_STATUS[code] === status);
}

/** `components.responses`: one per error status, all with the one envelope. */
export function errorResponseComponents(): Record<string, ResponseObject> {
  return Object.fromEntries(
    ERROR_STATUSES.map((status) => {
      const { name, description, example, headers = [] } = ERRORS[status];
      const codes = codesFor(status);
      const response: ResponseObject = {
        description: `${description} Error codes: ${codes.map((code) => `\`${code}\``).join(", ")}.`,
        headers: Object.fromEntries(
          ["X-Request-Id", ...headers].map((header) => [header, headerRef(header)]),
        ),
        content: {
          "application/json": {
            schema: schemaRef("ErrorEnvelope"),
            example: {
              error_code: codes[0],
              message: example,
              details: status === 500 ? { request_id: "5f0c1d2e-…" } : null,
              timestamp: "2026-01-15T09:30:00.000Z",
            },
          },
        },
      };
      return [name, response];
    }),
  );
}

/** The shared error responses an operation can answer, by status. */
export function errorResponses(...statuses: ErrorStatus[]): Record<string, ReferenceObject> {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { $ref: `#/components/responses/${ERRORS[status].name}` },
    ]),
  );
}

const rateLimitHeader = (description: string): HeaderObject => ({
  description,
  schema: { type: "integer", minimum: 0 },
});

/** `components.headers`. */
export function headerComponents(): Record<string, HeaderObject> {
  return {
    "X-Request-Id": {
      description:
        "Identifies the request in the logs; a caller's own X-Request-Id is echoed when safe.",
      schema: { type: "string" },
    },
    "Retry-After": {
      description: "Seconds to wait before retrying.",
      required: true,
      schema: { type: "integer", minimum: 1 },
    },
    "RateLimit-Limit": rateLimitHeader("Requests allowed per window (one hour) on the data API."),
    "RateLimit-Remaining": rateLimitHeader("Requests left in the current window."),
    "RateLimit-Reset": rateLimitHeader("Seconds until the window is clear (delta seconds)."),
    ETag: {
      description: "A strong validator of this version of the record; send it in If-Match.",
      schema: { type: "string" },
      example: '"kY1cJ9v0m3dQk2Yb7sXo1pZr8Tn"',
    },
    "Idempotent-Replayed": {
      description: "`true` when this is the stored answer to an earlier request with the same key.",
      schema: { type: "string", const: "true" },
    },
  };
}

/** The RateLimit-* headers every answer of a rate-limited operation carries. */
export const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": headerRef("RateLimit-Limit"),
  "RateLimit-Remaining": headerRef("RateLimit-Remaining"),
  "RateLimit-Reset": headerRef("RateLimit-Reset"),
};
