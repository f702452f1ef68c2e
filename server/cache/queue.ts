import type { Redis } from "ioredis";

export type Job<T> = {
  id: string;
  data: T;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
};

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export type AddJobOptions = {
  /**
   * Enqueues the job only if no job with this id is waiting, running, or finished within the
   * retention window (`FINISHED_JOB_RETENTION`); either way the id is returned.
   */
  jobId?: string;
  delayMs?: number;
};

/** Jobs by state: queue-wide with BullMQ (every instance sees the same), this process's in memory. */
export type QueueDepth = { waiting: number; active: number; delayed: number };

export interface JobQueue<T> {
  /** Resolves with the job's id once it is stored; does not wait for it to run. */
  add(data: T, opts?: AddJobOptions): Promise<string>;
  /** Starts handling jobs in this process; call at most once per queue. A throw means retry. */
  process(handler: JobHandler<T>, opts?: { concurrency?: number }): void;
  depth(): Promise<QueueDepth>;
  /** Stops taking jobs and waits for the running ones; jobs not started stay queued (BullMQ) or are dropped (memory). */
  close(): Promise<void>;
}

export type BackoffOptions = { initialMs: number; maxMs: number; factor: number };

export type CreateJobQueueOptions = {
  /** Queues of one name share their jobs across every process on the same Redis. */
  name: string;
  /** BullMQ when given (a URL, or a client whose options it copies); in-process otherwise. */
  redis?: Redis | string;
  /** Namespaces BullMQ's Redis keys; ignored in-process. Default "lake:bull". */
  prefix?: string;
  /** Runs per job, the first included. Default 3. */
  attempts?: number;
  /** Delay before retry n is min(initialMs × factor^(n−1), maxMs). Default 1 s, 30 s, ×2. */
  backoff?: Partial<BackoffOptions>;
  /** A job failed its last attempt (it is not retried again). */
  onFailed?: (job: Job<unknown>, error: unknown) => void;
};

/** The settings both implementations run on, resolved from CreateJobQueueOptions. */
export type ResolvedJobQueueOptions = {
  name: string;
  attempts: number;
  retryDelayMs: (failedAttempt: number) => number;
  keepFinished: { ageSeconds: number; count: number };
  onFailed?: (job: Job<unknown>, error: unknown) => void;
};

/**
 * How long a finished job's id still deduplicates. BullMQ keeps finished jobs (and so refuses
 * their ids) until evicted; the memory queue remembers the same number of ids for the same time,
 * so `jobId` means the same thing with or without Redis.
 */
export const FINISHED_JOB_RETENTION = { ageSeconds: 3_600, count: 1_000 } as const;
