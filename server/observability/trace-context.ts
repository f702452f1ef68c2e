import {
  context,
  isSpanContextValid,
  propagation,
  trace,
  type Context,
  type TextMapGetter,
} from "@opentelemetry/api";

/**
 * Where a caller's W3C trace context (`traceparent`, `tracestate`) rides in: Web Headers, Node's
 * IncomingHttpHeaders, or gRPC metadata's map. Keys are lower-case in all three.
 */
export type TraceCarrier = Headers | Record<string, unknown>;

const carrierGetter: TextMapGetter<TraceCarrier> = {
  keys: (carrier) => (carrier instanceof Headers ? [...carrier.keys()] : Object.keys(carrier)),
  get(carrier, key) {
    const value = carrier instanceof Headers ? carrier.get(key) : carrier[key];
    if (typeof value === "string") return value;
    if (Array.isArray(value))
      return value.filter((item): item is string => typeof item === "string");
    return undefined;
  },
};

/** `parent` continued by the caller's trace context in `carrier`, when it carries a valid one. */
export function extractTraceContext(parent: Context, carrier: TraceCarrier): Context {
  return propagation.extract(parent, carrier, carrierGetter);
}

/** Outgoing headers (Web Headers) or gRPC Metadata: anything with `set(name, value)`. */
type Settable = { set(key: string, value: string): unknown };

/** Adds the running span's trace context to an outgoing call's headers or metadata. */
export function injectTraceContext<C extends Settable>(carrier: C): C {
  propagation.inject(context.active(), carrier, {
    set: (target, key, value) => target.set(key, value),
  });
  return carrier;
}

/** The running span's trace id, if a trace is running (tracing on, inside a request or job). */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/**
 * The running span's ids under OpenTelemetry's log field names, for every log line (pino's mixin):
 * a log line and the trace it belongs to find each other. None outside a trace. A new object
 * each time: pino merges the line's own fields into it.
 */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
