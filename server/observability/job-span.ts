import { SpanKind } from "@opentelemetry/api";

import { type Job, type JobHandler } from "../cache/queue";
import { withBackgroundSpan } from "./tracer";

// OTel's messaging attributes (still in the incubating set of the conventions).
const ATTR_MESSAGING_DESTINATION_NAME = "messaging.destination.name";
const ATTR_MESSAGING_MESSAGE_ID = "messaging.message.id";
const ATTR_MESSAGING_OPERATION_TYPE = "messaging.operation.type";
/** Ours: 1 on the first run, 2 on the first retry, … */
const ATTR_LAKE_JOB_ATTEMPT = "lake.job.attempt";

/**
 * Each run of a queue's jobs in a CONSUMER span of its own trace (`<queue> process`): what the job
 * does in this process (SQL, Redis, outbound calls) shows up under it. A job may run long after
 * the request that queued it, on another instance, so it does not join that request's trace.
 */
export function tracedJobHandler<T>(queue: string, handler: JobHandler<T>): JobHandler<T> {
  return (job: Job<T>) =>
    withBackgroundSpan(
      `${queue} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          [ATTR_MESSAGING_DESTINATION_NAME]: queue,
          [ATTR_MESSAGING_OPERATION_TYPE]: "process",
          [ATTR_MESSAGING_MESSAGE_ID]: job.id,
          [ATTR_LAKE_JOB_ATTEMPT]: job.attempt,
        },
      },
      () => handler(job),
    );
}
