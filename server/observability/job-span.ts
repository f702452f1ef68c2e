import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";

import { type Job, type JobHandler } from "../cache/queue";
import { withBackgroundSpan } from "./tracer";

// OTel's messaging attributes (still in the incubating set of the conventions).
const ATTR_MESSAGING_DESTINATION_NAME = "messaging.destination.name";
const ATTR_MESSAGING_MESSAGE_ID = "messaging.message.id";
const ATTR_MESSAGING_OPERATION_TYPE = "messaging.operation.type";
/** Ours: 1 on the first run, 2 on the first retry, … */
const ATTR_LAKE_JOB_ATTEMPT = "lake.job.attempt";

/**
 * What a queue stores for a job: its data and the W3C trace context (`traceparent`, `tracestate`)
 * of the span that queued it. `lakeJob` tells it from data stored bare by a version before this.
 */
export type TracedJobData<T> = { lakeJob: 1; data: T; trace?: Record<string, string> };

const isTraced = <T>(data: TracedJobData<T> | T): data is TracedJobData<T> =>
  typeof data === "object" && data !== null && (data as { lakeJob?: unknown }).lakeJob === 1;

/** The job's own data, from what the queue stored. */
export const jobDataOf = <T>(stored: TracedJobData<T> | T): T =>
  isTraced(stored) ? stored.data : stored;

/** A job's data with the context of the span running now (the request queuing it), if any. */
export function withQueuingTrace<T>(data: T): TracedJobData<T> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return { lakeJob: 1, data, ...(Object.keys(carrier).length > 0 ? { trace: carrier } : {}) };
}

/**
 * Each run of a queue's jobs in a CONSUMER span of its own trace (`<queue> process`): what the job
 * does in this process (SQL, Redis, outbound calls) shows up under it. A job may run long after
 * the request that queued it, on another instance, so it does not join that request's trace: it
 * links to it (OTel's messaging conventions), from the context stored with the job.
 */
export function tracedJobHandler<T>(
  queue: string,
  handler: JobHandler<T>,
): JobHandler<TracedJobData<T> | T> {
  return (job: Job<TracedJobData<T> | T>) => {
    const carrier = isTraced(job.data) ? job.data.trace : undefined;
    const cause = carrier
      ? trace.getSpanContext(propagation.extract(ROOT_CONTEXT, carrier))
      : undefined;
    return withBackgroundSpan(
      `${queue} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [ATTR_MESSAGING_DESTINATION_NAME]: queue,
          [ATTR_MESSAGING_OPERATION_TYPE]: "process",
          [ATTR_MESSAGING_MESSAGE_ID]: job.id,
          [ATTR_LAKE_JOB_ATTEMPT]: job.attempt,
        },
        cause,
      },
      () => handler({ ...job, data: jobDataOf(job.data) }),
    );
  };
}
