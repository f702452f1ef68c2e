import { status } from "@grpc/grpc-js";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_RPC_METHOD,
  ATTR_RPC_STATUS_CODE,
  ATTR_RPC_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  RPC_SYSTEM_NAME_VALUE_GRPC,
} from "@opentelemetry/semantic-conventions";

import { injectTraceContext } from "./trace-context";
import { withSpan } from "./tracer";

/**
 * `fetch` to another service (Cortex, a webhook target) in a CLIENT span, with the W3C trace
 * context in its headers so the callee's spans join the trace. Any status other than 2xx/3xx marks
 * the span failed (for a client, a 4xx is a failed call too). The URL is recorded without its
 * query and credentials, which may carry secrets.
 */
export function tracedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const target = new URL(url);
  const method = (init.method ?? "GET").toUpperCase();
  return withSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: method,
        [ATTR_SERVER_ADDRESS]: target.hostname,
        [ATTR_SERVER_PORT]: Number(target.port || (target.protocol === "https:" ? 443 : 80)),
        [ATTR_URL_FULL]: `${target.origin}${target.pathname}`,
      },
    },
    async (span) => {
      const headers = injectTraceContext(new Headers(init.headers));
      const response = await fetch(url, { ...init, headers });
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status);
      if (response.status >= 400) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute(ATTR_ERROR_TYPE, String(response.status));
      }
      return response;
    },
  );
}

/**
 * A unary gRPC call to another service (Datapunk Stream) in a CLIENT span named by its method
 * (`package.Service/Method`). `call` gets the trace context to add to the call's metadata with
 * injectTraceContext; a failure's gRPC status is recorded.
 */
export function withGrpcClientSpan<T>(
  method: string,
  target: string,
  call: () => Promise<T>,
): Promise<T> {
  const [host, port] = target.split(/:(?=\d+$)/);
  return withSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        [ATTR_RPC_SYSTEM_NAME]: RPC_SYSTEM_NAME_VALUE_GRPC,
        [ATTR_RPC_METHOD]: method,
        [ATTR_SERVER_ADDRESS]: host ?? target,
        ...(port ? { [ATTR_SERVER_PORT]: Number(port) } : {}),
      },
    },
    async (span) => {
      try {
        return await call();
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === "number") {
          span.setAttribute(ATTR_RPC_STATUS_CODE, status[code] ?? String(code));
        }
        throw error;
      }
    },
  );
}
