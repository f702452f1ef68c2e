import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
} from "@opentelemetry/semantic-conventions";

import { extractTraceContext, type TraceCarrier } from "./trace-context";
import { failSpan, tracer } from "./tracer";

/** The doors of the Lake: where a request's span says it came in. */
export type Door = "rest" | "graphql" | "tus" | "trpc" | "grpc" | "websocket" | "graphql-ws";

/** Which door a request span belongs to (our attribute; the route or method names the rest). */
export const ATTR_LAKE_DOOR = "lake.door";

export type RequestSpanOptions = {
  door: Door;
  /**
   * Few distinct values: the method and route pattern (`GET /api/v1/lake/data/[id]`) or the RPC
   * method, never a raw URL with ids in it.
   */
  name: string;
  /** The request's headers or metadata: a W3C `traceparent` there continues the caller's trace. */
  carrier?: TraceCarrier;
  attributes?: Attributes;
};

/**
 * The span of one request at a door. Normally the request's SERVER span, continuing the caller's
 * trace when the carrier has a `traceparent`. Inside another span already — Next's own span around
 * the routes it serves, a tRPC batch's HTTP request — it is that span's INTERNAL child, so one
 * request has one server span and the caller's context is taken once (Next takes it too).
 */
export function startRequestSpan(options: RequestSpanOptions): { span: Span; context: Context } {
  const active = context.active();
  const inside = trace.getSpan(active) !== undefined;
  const parent = inside || !options.carrier ? active : extractTraceContext(active, options.carrier);
  const span = tracer.startSpan(
    options.name,
    {
      kind: inside ? SpanKind.INTERNAL : SpanKind.SERVER,
      attributes: { [ATTR_LAKE_DOOR]: options.door, ...options.attributes },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** Runs `fn` in a request span, which ends when it settles; a throw marks it failed. */
export async function withRequestSpan<T>(
  options: RequestSpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const { span, context: spanContext } = startRequestSpan(options);
  try {
    return await context.with(spanContext, fn, undefined, span);
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/** HTTP's rule: the status on the span, and a 5xx marks it failed (a 4xx is the caller's). */
export function settleHttpSpan(span: Span, status: number): void {
  if (!span.isRecording()) return;
  span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  if (status >= 500) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute(ATTR_ERROR_TYPE, String(status));
  }
}

/**
 * An HTTP request at a door, in a span named by its method and route pattern, settled by the
 * status of the answer. The HTTP attributes are only computed for a span that is recorded.
 */
export function withHttpRequestSpan(
  door: Door,
  routePattern: string,
  request: Request,
  fn: (span: Span) => Promise<Response>,
): Promise<Response> {
  return withRequestSpan(
    { door, name: `${request.method} ${routePattern}`, carrier: request.headers },
    async (span) => {
      if (span.isRecording()) {
        const url = new URL(request.url);
        span.setAttributes({
          [ATTR_HTTP_REQUEST_METHOD]: request.method,
          [ATTR_HTTP_ROUTE]: routePattern,
          [ATTR_URL_PATH]: url.pathname,
          [ATTR_URL_SCHEME]: url.protocol.slice(0, -1),
        });
      }
      const response = await fn(span);
      settleHttpSpan(span, response.status);
      return response;
    },
  );
}
