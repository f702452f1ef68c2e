import { Queue, Worker, type Job as BullJob } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";

import { createMemoryJobQueue } from "./memory-job-queue";
import type { AddJobOptions, JobHandler, JobQueue, ResolvedJobQueueOptions } from "./queue";
import { closeRedis, isRedisReady, keepErrorsQuiet, waitForRedis } from "./redis";

export type CreateBullJobQueueOptions = ResolvedJobQueueOptions & {
  /** A URL, or a client whose connection options are copied (the client itself is not used). */
  redis: Redis | string;
  /** Namespaces BullMQ's keys. Default "lake:bull". */
  prefix?: string;
};

/** Our retry curve is not one of BullMQ's built-ins; this names the Worker's custom strategy. */
const BACKOFF_TYPE = "lake-capped-exponential";

/**
 * BullMQ, plus the in-process queue for when Redis is away: add() then takes the job in memory
 * (run here if this process handles the queue) and hands the ones not yet started back to Redis
 * when it returns. Degraded meanwhile: those jobs die with the process, and a jobId seen only
 * in memory is not deduplicated against Redis.
 */
export function createBullJobQueue<T>(options: CreateBullJobQueueOptions): JobQueue<T> {
  const { name, attempts, keepFinished } = options;
  const prefix = options.prefix ?? "lake:bull";
  // The producer fails fast rather than queue commands offline: add() has a fallback, and an
  // HTTP request should not wait for Redis to come back.
  const producer = bullConnection(options.redis, `${name}:producer`, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  const keep = { age: keepFinished.ageSeconds, count: keepFinished.count };
  const queue = new Queue<BullJob<T, void, string>>(name, {
    connection: producer,
    prefix,
    defaultJobOptions: {
      attempts,
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: keep,
      removeOnFail: keep,
    },
  });
  // Its errors are connection drops, already visible through producer.status.
  queue.on("error", () => undefined);
  const fallback = createMemoryJobQueue<T>(options);
  // add() right after start-up should reach Redis, not the fallback because the new connection
  // is a few ms from ready. Bounded, and resolves at once if the first attempt fails.
  const firstConnection = waitForRedis(producer);
  let worker: Worker<T> | undefined;
  let workerConnection: Redis | undefined;

  const addToRedis = async (data: T, opts: AddJobOptions) => {
    const job = await queue.add(name, data, { jobId: opts.jobId, delay: opts.delayMs });
    return String(job.id);
  };

  const forwardFallbackJobs = async () => {
    for (const job of fallback.takeUnstarted()) {
      const opts = { jobId: job.id, delayMs: job.delayMs };
      await addToRedis(job.data, opts).catch(() =>
        fallback.add(job.data, opts).catch(() => undefined),
      );
    }
  };
  producer.on("ready", () => void forwardFallbackJobs());

  return {
    async add(data, opts = {}) {
      await firstConnection;
      if (isRedisReady(producer)) {
        try {
          return await addToRedis(data, opts);
        } catch (error) {
          if (isRedisReady(producer) && !isConnectionError(error)) throw error;
        }
      }
      return fallback.add(data, opts);
    },

    process(handler, opts = {}) {
      if (worker) throw new Error(`queue "${name}" already has a handler`);
      // Workers block on BZPOPMIN and must wait out outages: BullMQ requires
      // maxRetriesPerRequest: null here, which is why this is not the fail-fast client.
      workerConnection = bullConnection(options.redis, `${name}:worker`, {
        maxRetriesPerRequest: null,
        enableOfflineQueue: true,
      });
      // One budget for both: after an outage the fallback may still be running jobs when the
      // Worker starts again, and together they must not exceed the concurrency asked for.
      const concurrency = Math.max(1, opts.concurrency ?? 1);
      const limited = withConcurrencyLimit(handler, concurrency);
      worker = new Worker<T>(
        name,
        (job: BullJob<T>) =>
          limited({ id: String(job.id), data: job.data, attempt: job.attemptsMade + 1 }),
        {
          connection: workerConnection,
          prefix,
          concurrency,
          settings: {
            backoffStrategy: (attemptsMade: number) => options.retryDelayMs(attemptsMade),
          },
        },
      );
      worker.on("error", () => undefined);
      worker.on("failed", (job, error) => {
        if (!job || job.attemptsMade < attempts) return;
        try {
          options.onFailed?.(
            { id: String(job.id), data: job.data, attempt: job.attemptsMade },
            error,
          );
        } catch {
          // A failing reporter must not disturb the Worker (the memory queue does the same).
        }
      });
      fallback.process(limited, { concurrency });
    },

    async depth() {
      const local = await fallback.depth();
      if (!isRedisReady(producer)) return local;
      const shared = await queue.getJobCounts("waiting", "active", "delayed").catch(() => ({}));
      const count = (state: keyof typeof local) =>
        local[state] + ((shared as Record<string, number>)[state] ?? 0);
      return { waiting: count("waiting"), active: count("active"), delayed: count("delayed") };
    },

    async close() {
      await fallback.close();
      // A graceful close waits for the Worker's connections to come up first, i.e. forever while
      // Redis is down; forced, its running jobs are left to BullMQ's stalled-job recovery.
      await worker?.close(!workerConnection || !isRedisReady(workerConnection));
      await queue.close();
      await Promise.all([closeRedis(producer), workerConnection && closeRedis(workerConnection)]);
    },
  };
}

function withConcurrencyLimit<T>(handler: JobHandler<T>, limit: number): JobHandler<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (job) => {
    while (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      await handler(job);
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** A connection of BullMQ's own, never the shared fail-fast client (see redis.ts). */
function bullConnection(
  source: Redis | string,
  connectionName: string,
  overrides: RedisOptions,
): Redis {
  const client =
    typeof source === "string"
      ? new Redis(source, { connectionName, ...overrides })
      : // The shared client's command timeout would cut BullMQ's blocking reads short.
        source.duplicate({
          connectionName,
          commandTimeout: undefined,
          enableAutoPipelining: false,
          ...overrides,
        });
  return keepErrorsQuiet(client);
}

function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === "MaxRetriesPerRequestError" ||
    /Connection is closed|enableOfflineQueue|ECONNREFUSED|ECONNRESET|EPIPE/.test(error.message)
  );
}
