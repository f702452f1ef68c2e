import {
  jobDataOf,
  tracedJobHandler,
  type TracedJobData,
  withQueuingTrace,
} from "../observability/job-span";
import { createBullJobQueue } from "./bullmq-job-queue";
import { createMemoryJobQueue } from "./memory-job-queue";
import { measureQueue } from "./queue-metrics";
import {
  FINISHED_JOB_RETENTION,
  type BackoffOptions,
  type CreateJobQueueOptions,
  type JobQueue,
  type ResolvedJobQueueOptions,
} from "./queue";

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, factor: 2 };

export function createJobQueue<T>(options: CreateJobQueueOptions): JobQueue<T> {
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const resolved: ResolvedJobQueueOptions = {
    name: options.name,
    attempts: Math.max(1, options.attempts ?? 3),
    retryDelayMs: (failedAttempt) =>
      Math.min(backoff.initialMs * backoff.factor ** Math.max(0, failedAttempt - 1), backoff.maxMs),
    keepFinished: FINISHED_JOB_RETENTION,
    onFailed:
      options.onFailed &&
      ((job, error) => options.onFailed!({ ...job, data: jobDataOf(job.data) }, error)),
  };
  // Stored with the trace context of whoever queued it; a job stored bare (before) still runs.
  type Stored = TracedJobData<T> | T;
  const queue: JobQueue<Stored> = options.redis
    ? createBullJobQueue<Stored>({ ...resolved, redis: options.redis, prefix: options.prefix })
    : createMemoryJobQueue<Stored>(resolved);
  return measureQueue<T>(options.name, {
    add: (data, opts) => queue.add(withQueuingTrace(data), opts),
    process: (handler, opts) => queue.process(tracedJobHandler(options.name, handler), opts),
    depth: () => queue.depth(),
    close: () => queue.close(),
  });
}
