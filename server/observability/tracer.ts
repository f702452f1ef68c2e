import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Link,
  type Span,
  type SpanContext,
} from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";

import { VERSION } from "../version";

/**
 * The Lake's tracer. OpenTelemetry's API answers with a no-op tracer until tracing.ts registers
 * the SDK (only when OTEL_EXPORTER_OTLP_ENDPOINT is set), and this proxy follows it from then on:
 * modules may take it at import time. The API keeps the registration on globalThis, so Next's
 * bundled copies of these modules reach the same SDK.
 */
export const tracer = trace.getTracer("datapunk-lake", VERSION);

export type SpanOptions = {
  kind?: SpanKind;
  attributes?: Attributes;
  /** A new trace rather than a child of whatever runs now (background work, jobs). */
  root?: boolean;
  links?: Link[];
};

/** Marks a span failed by `error` (its exception event, status and error.type). */
export function failSpan(span: Span, error: unknown): void {
  if (!span.isRecording()) return;
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
  span.setAttribute(ATTR_ERROR_TYPE, exception.name || "Error");
}

/** Runs `fn` in a span, which ends when it settles; a throw marks it failed and is rethrown. */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.root ? ROOT_CONTEXT : context.active();
  const span = tracer.startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      attributes: options.attributes,
      links: options.links,
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), fn, undefined, span);
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * A unit of background work (a webhook delivery, a job): a trace of its own, linked to the span
 * that caused it — `cause` (a job's, from when it was queued), else the one running now, if any —
 * since it often outlives that request by far.
 */
export function withBackgroundSpan<T>(
  name: string,
  options: Omit<SpanOptions, "root" | "links"> & { cause?: SpanContext },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const { cause, ...spanOptions } = options;
  const link = cause ?? trace.getActiveSpan()?.spanContext();
  return withSpan(
    name,
    { ...spanOptions, root: true, links: link ? [{ context: link }] : undefined },
    fn,
  );
}
