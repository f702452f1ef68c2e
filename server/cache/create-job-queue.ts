import { tracedJobHandler } from "../observability/job-span";
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
    onFailed: options.onFailed,
  };
  const queue: JobQueue<T> = options.redis
    ? createBullJobQueue<T>({ ...resolved, redis: options.redis, prefix: options.prefix })
    : createMemoryJobQueue<T>(resolved);
  return measureQueue(options.name, {
    add: (data, opts) => queue.add(data, opts),
    process: (handler, opts) => queue.process(tracedJobHandler(options.name, handler), opts),
    depth: () => queue.depth(),
    close: () => queue.close(),
  });
}
