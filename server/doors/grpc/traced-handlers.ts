import {
  status,
  type Metadata,
  type sendUnaryData,
  type ServiceError,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { context, SpanStatusCode, type Span } from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_RPC_METHOD,
  ATTR_RPC_STATUS_CODE,
  ATTR_RPC_SYSTEM_NAME,
  RPC_SYSTEM_NAME_VALUE_GRPC,
} from "@opentelemetry/semantic-conventions";

import { startRequestSpan } from "../../observability/request-span";

/** The statuses that are the server's failure, as OTel's gRPC conventions list them for servers. */
const SERVER_FAILURES = new Set<status>([
  status.UNKNOWN,
  status.DEADLINE_EXCEEDED,
  status.UNIMPLEMENTED,
  status.INTERNAL,
  status.UNAVAILABLE,
  status.DATA_LOSS,
]);

/** What every kind of server call has (grpc-js does not export its ServerSurfaceCall). */
type AnyCall = NodeJS.EventEmitter & { metadata: Metadata };
type AnyHandler = (call: AnyCall, callback?: sendUnaryData<unknown>) => void;

function settle(span: Span, code: status, error?: unknown) {
  if (!span.isRecording()) return span.end();
  span.setAttribute(ATTR_RPC_STATUS_CODE, status[code] ?? String(code));
  if (SERVER_FAILURES.has(code)) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: (error as Partial<ServiceError> | undefined)?.details,
    });
    span.setAttribute(ATTR_ERROR_TYPE, status[code] ?? String(code));
  }
  span.end();
}

const codeOf = (error: unknown): status =>
  typeof (error as { code?: unknown } | null)?.code === "number"
    ? (error as { code: status }).code
    : status.UNKNOWN;

/**
 * One call in a request span (door `grpc`, named `package.Service/Method`), continuing the caller's
 * trace from the metadata's `traceparent`, ended with the call's status. The handler runs in the
 * span's context and so do the listeners it adds to the call (an Ingest stream's batches), so
 * what they store and publish appears under the call.
 */
function traced(method: string, handler: AnyHandler): AnyHandler {
  return (call, callback) => {
    const { span, context: spanContext } = startRequestSpan({
      door: "grpc",
      name: method,
      carrier: call.metadata.getMap(),
      attributes: {
        [ATTR_RPC_SYSTEM_NAME]: RPC_SYSTEM_NAME_VALUE_GRPC,
        [ATTR_RPC_METHOD]: method,
      },
    });
    let ended = false;
    const end = (code: status, error?: unknown) => {
      if (ended) return;
      ended = true;
      settle(span, code, error);
    };
    if (callback) {
      // Unary and client-streaming calls answer through the callback.
      const answer: sendUnaryData<unknown> = (error, ...rest) => {
        end(error ? codeOf(error) : status.OK, error);
        callback(error, ...rest);
      };
      context.with(spanContext, () => handler(context.bind(spanContext, call), answer));
      return;
    }
    // Streaming answers: an error emitted on the call is its status; an end is OK.
    call.once("error", (error: unknown) => end(codeOf(error), error));
    call.once("finish", () => end(status.OK));
    call.once("cancelled", () => end(status.CANCELLED));
    context.with(spanContext, () => handler(context.bind(spanContext, call)));
  };
}

/** Every method of a service implementation traced as above. */
export function tracedHandlers(
  service: string,
  handlers: UntypedServiceImplementation,
): UntypedServiceImplementation {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      traced(`${service}/${name}`, handler as AnyHandler) as UntypedHandleCall,
    ]),
  );
}
