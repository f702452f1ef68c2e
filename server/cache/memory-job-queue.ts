import { randomUUID } from "node:crypto";

import { LRUCache } from "lru-cache";

import type { Job, JobHandler, JobQueue, ResolvedJobQueueOptions } from "./queue";

export type UnstartedJob<T> = { id: string; data: T; delayMs: number };

export type MemoryJobQueue<T> = JobQueue<T> & {
  /** Removes and returns the jobs not yet run once, with the delay each has left. */
  takeUnstarted(): UnstartedJob<T>[];
};

/**
 * The in-process queue: the same contract as BullMQ minus durability. Jobs live in this process
 * only, so a restart loses what had not finished.
 */
export function createMemoryJobQueue<T>(options: ResolvedJobQueueOptions): MemoryJobQueue<T> {
  /** Ids of jobs waiting, delayed, running or between retries. */
  const pendingIds = new Set<string>();
  const finishedIds = new LRUCache<string, true>({
    max: options.keepFinished.count,
    ttl: options.keepFinished.ageSeconds * 1000,
  });
  const ready: Job<T>[] = [];
  const delayed = new Map<string, { job: Job<T>; timer: NodeJS.Timeout; dueAt: number }>();
  let handler: JobHandler<T> | undefined;
  let concurrency = 1;
  let running = 0;
  let closed = false;
  const idleWaiters: Array<() => void> = [];

  const pump = () => {
    while (handler && !closed && running < concurrency) {
      const job = ready.shift();
      if (!job) return;
      void run(job, handler);
    }
  };

  const schedule = (job: Job<T>, delayMs: number) => {
    if (delayMs <= 0) {
      ready.push(job);
      return pump();
    }
    const timer = setTimeout(() => {
      delayed.delete(job.id);
      ready.push(job);
      pump();
    }, delayMs);
    delayed.set(job.id, { job, timer, dueAt: Date.now() + delayMs });
  };

  const finish = (id: string) => {
    pendingIds.delete(id);
    finishedIds.set(id, true);
  };

  const run = async (job: Job<T>, handle: JobHandler<T>) => {
    running += 1;
    try {
      await handle({ ...job });
      finish(job.id);
    } catch (error) {
      if (closed) {
        pendingIds.delete(job.id);
      } else if (job.attempt < options.attempts) {
        schedule({ ...job, attempt: job.attempt + 1 }, options.retryDelayMs(job.attempt));
      } else {
        finish(job.id);
        try {
          options.onFailed?.(job, error);
        } catch {
          // A failing reporter must not stall the queue.
        }
      }
    } finally {
      running -= 1;
      if (running === 0) for (const resolve of idleWaiters.splice(0)) resolve();
      pump();
    }
  };

  return {
    async add(data, opts = {}) {
      if (closed) throw new Error(`queue "${options.name}" is closed`);
      const id = opts.jobId ?? randomUUID();
      if (pendingIds.has(id) || finishedIds.has(id)) return id;
      pendingIds.add(id);
      // A JSON copy, as BullMQ stores it: the handler never shares objects with the producer.
      schedule({ id, data: cloneAsJson(data), attempt: 1 }, opts.delayMs ?? 0);
      return id;
    },

    process(handle, opts = {}) {
      if (handler) throw new Error(`queue "${options.name}" already has a handler`);
      handler = handle;
      concurrency = Math.max(1, opts.concurrency ?? 1);
      pump();
    },

    async depth() {
      return { waiting: ready.length, active: running, delayed: delayed.size };
    },

    takeUnstarted() {
      const now = Date.now();
      const taken: UnstartedJob<T>[] = [];
      for (const job of ready.filter((job) => job.attempt === 1)) {
        taken.push({ id: job.id, data: job.data, delayMs: 0 });
      }
      for (const { job, timer, dueAt } of delayed.values()) {
        if (job.attempt !== 1) continue;
        clearTimeout(timer);
        delayed.delete(job.id);
        taken.push({ id: job.id, data: job.data, delayMs: Math.max(0, dueAt - now) });
      }
      const takenIds = new Set(taken.map((job) => job.id));
      ready.splice(0, ready.length, ...ready.filter((job) => !takenIds.has(job.id)));
      for (const id of takenIds) pendingIds.delete(id);
      return taken;
    },

    async close() {
      closed = true;
      for (const { timer } of delayed.values()) clearTimeout(timer);
      delayed.clear();
      ready.length = 0;
      if (running > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

function cloneAsJson<T>(data: T): T {
  const json = JSON.stringify(data) as string | undefined;
  if (json === undefined) throw new TypeError("job data must be JSON-serialisable");
  return JSON.parse(json) as T;
}
