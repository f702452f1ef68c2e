import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import protobuf from "protobufjs";

import { type AppError, type ErrorCode } from "../../errors/app-error";

/** The envelope's codes as gRPC statuses: one table, so a new code does not compile until mapped. */
const GRPC_STATUS: Record<ErrorCode, status> = {
  bad_request: status.INVALID_ARGUMENT,
  validation_failed: status.INVALID_ARGUMENT,
  invalid_json: status.INVALID_ARGUMENT,
  offset_unknown: status.OUT_OF_RANGE,
  unauthorized: status.UNAUTHENTICATED,
  forbidden: status.PERMISSION_DENIED,
  not_found: status.NOT_FOUND,
  method_not_allowed: status.UNIMPLEMENTED,
  conflict: status.ALREADY_EXISTS,
  offset_expired: status.OUT_OF_RANGE,
  precondition_failed: status.FAILED_PRECONDITION,
  payload_too_large: status.RESOURCE_EXHAUSTED,
  unsupported_media_type: status.INVALID_ARGUMENT,
  expectation_failed: status.FAILED_PRECONDITION,
  rate_limited: status.RESOURCE_EXHAUSTED,
  headers_too_large: status.INVALID_ARGUMENT,
  internal_error: status.INTERNAL,
  service_unavailable: status.UNAVAILABLE,
  database_unavailable: status.UNAVAILABLE,
};

// google.rpc.Status with a RetryInfo, the richer error model clients read from
// grpc-status-details-bin (what Google's client libraries honour for backoff).
const rpc = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: {
              fields: { type_url: { type: "string", id: 1 }, value: { type: "bytes", id: 2 } },
            },
            Duration: {
              fields: { seconds: { type: "int64", id: 1 }, nanos: { type: "int32", id: 2 } },
            },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: "int32", id: 1 },
                message: { type: "string", id: 2 },
                details: { rule: "repeated", type: "google.protobuf.Any", id: 3 },
              },
            },
            RetryInfo: { fields: { retry_delay: { type: "google.protobuf.Duration", id: 1 } } },
          },
        },
      },
    },
  },
});
const StatusMessage = rpc.lookupType("google.rpc.Status");
const RetryInfo = rpc.lookupType("google.rpc.RetryInfo");

/**
 * An AppError as a gRPC error: the status from the table, the message, and metadata with the
 * envelope's `error_code` (and `error-details` as JSON when there are any). A rate limit carries
 * `retry-after` and a google.rpc.RetryInfo in grpc-status-details-bin.
 */
export function toServiceError(error: AppError): Partial<ServiceError> {
  const code = GRPC_STATUS[error.code];
  const metadata = new Metadata();
  metadata.set("error_code", error.code);
  if (error.details !== undefined) {
    metadata.set("error-details-bin", Buffer.from(JSON.stringify(error.details)));
  }
  const retryAfter = Number(error.headers?.["Retry-After"]);
  if (Number.isFinite(retryAfter) && retryAfter > 0) {
    metadata.set("retry-after", String(retryAfter));
    const detail = RetryInfo.encode({ retry_delay: { seconds: retryAfter, nanos: 0 } }).finish();
    const rich = StatusMessage.encode({
      code,
      message: error.message,
      details: [{ type_url: "type.googleapis.com/google.rpc.RetryInfo", value: detail }],
    }).finish();
    metadata.set("grpc-status-details-bin", Buffer.from(rich));
  }
  return { code, details: error.message, metadata };
}

/** The delay a RetryInfo in grpc-status-details-bin asks for, in seconds (clients, tests). */
export function retryDelayOf(metadata: Metadata): number | undefined {
  const [bytes] = metadata.get("grpc-status-details-bin");
  if (!Buffer.isBuffer(bytes)) return undefined;
  const decoded = StatusMessage.decode(bytes) as unknown as {
    details: { type_url: string; value: Uint8Array }[];
  };
  const info = decoded.details.find((d) => d.type_url.endsWith("google.rpc.RetryInfo"));
  if (!info) return undefined;
  const { retry_delay } = RetryInfo.decode(info.value) as unknown as {
    retry_delay: { seconds: number | { toNumber(): number } };
  };
  const seconds = retry_delay.seconds;
  return typeof seconds === "number" ? seconds : seconds.toNumber();
}
