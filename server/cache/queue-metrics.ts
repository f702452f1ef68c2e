import { counter, gaugeReadOnScrape, histogram } from "../observability/metrics";
import { singleton } from "../singleton";
import { type JobHandler, type JobQueue, type QueueDepth } from "./queue";

const STATES: (keyof QueueDepth)[] = ["waiting", "active", "delayed"];

/** The queues of this process that are open, by name, read when Prometheus scrapes. */
const openQueues = () => singleton("metrics:queues", () => new Map<string, JobQueue<unknown>>());

const jobDuration = () =>
  histogram({
    name: "job_duration_seconds",
    help: "How long each run of a queued job took, by queue and outcome (completed, failed; a failed run may be retried).",
    labelNames: ["queue", "outcome"] as const,
    buckets: [0.1, 0.5, 1, 5, 30, 120, 600, 1800],
  });

const jobRuns = () =>
  counter({
    name: "job_runs_total",
    help: "Runs of queued jobs by queue and outcome; a retried job counts once per run.",
    labelNames: ["queue", "outcome"] as const,
  });

/**
 * Lists a queue for `job_queue_depth` until it closes. BullMQ's counts are queue-wide (every
 * instance reports the same; aggregate with max, not sum), the in-process queue's are this
 * process's own.
 */
export function measureQueue<T>(name: string, queue: JobQueue<T>): JobQueue<T> {
  openQueues().set(name, queue);
  return {
    ...queue,
    process: (handler, opts) => queue.process(timedJobHandler(name, handler), opts),
    async close() {
      if (openQueues().get(name) === queue) openQueues().delete(name);
      await queue.close();
    },
  };
}

function timedJobHandler<T>(queue: string, handler: JobHandler<T>): JobHandler<T> {
  return async (job) => {
    const stop = jobDuration().startTimer({ queue });
    let outcome = "failed";
    try {
      await handler(job);
      outcome = "completed";
    } finally {
      stop({ outcome });
      jobRuns().inc({ queue, outcome });
    }
  };
}

/** Lists the queue metrics on /metrics from the start, before any queue has run a job. */
export function registerQueueMetrics(): void {
  jobDuration();
  jobRuns();
  gaugeReadOnScrape(
    {
      name: "job_queue_depth",
      help: "Jobs by queue and state (waiting, active, delayed).",
      labelNames: ["queue", "state"] as const,
    },
    async (gauge) => {
      for (const [queue, open] of openQueues()) {
        const depth = await open.depth().catch(() => undefined);
        if (!depth) continue;
        for (const state of STATES) gauge.set({ queue, state }, depth[state]);
      }
    },
  );
}
