import { type CacheServices } from "../../cache/cache-services";
import { cacheServices } from "../../cache/client";
import { database, type Database } from "../../db/client";
import { logger } from "../../observability/logger";
import { slot } from "../../singleton";
import { type ImportConfig, importConfig } from "./import-config";
import { closeImportQueue, importQueue } from "./import-queue";
import { importRowsMetric } from "./import-progress";
import { type ImportHooks } from "./import-run";
import { withImportMemory } from "./import-memory";
import { runImportJob } from "./run-import-job";
import { dropOrphanStaging } from "./leftover-staging";
import { expireIdleUploads, requeueStrandedImports } from "../uploads/sweep-imports";

export type StartImportWorkersOptions = {
  /** Default: the process's database and cache services (started by main.ts). */
  db?: Database;
  cache?: CacheServices;
  /** Imports run at once by this process (each reads and transforms in threads of its own). Default 2. */
  concurrency?: number;
  /** Overrides of the LAKE_IMPORT_* settings (tests use small batches). */
  config?: Partial<ImportConfig>;
  /** How often idle uploads are expired and stranded jobs re-queued. Default 60 s. */
  sweepIntervalMs?: number;
  hooks?: ImportHooks;
};

type RunningWorkers = { cache: CacheServices; stop: () => Promise<void> };
const current = slot<RunningWorkers>("import-workers");

/**
 * Starts this process's import workers: takes jobs from the import queue (BullMQ with Redis, so
 * any number of processes may run them; in-process otherwise), transforms on worker threads, and
 * every minute expires idle uploads, re-queues stranded jobs and drops staging tables an earlier
 * release's runs left behind (leftover-staging.ts) (once right away, which picks up what a restart interrupted). Call once per process; stopImportWorkers() undoes it.
 */
export async function startImportWorkers(options: StartImportWorkersOptions = {}): Promise<void> {
  if (current.get()) throw new Error("Import workers are already running in this process.");
  const db = options.db ?? database();
  const cache = options.cache ?? cacheServices();
  const config = importConfig(options.config);
  const stop = new AbortController();
  importRowsMetric();
  importQueue(cache).process(
    async (job) => {
      await withImportMemory(() =>
        runImportJob({
          db,
          cache,
          jobId: job.data.importId,
          attempt: job.attempt,
          config,
          hooks: options.hooks,
          stopSignal: stop.signal,
        }),
      );
    },
    { concurrency: options.concurrency ?? 2 },
  );
  const sweep = async () => {
    try {
      await expireIdleUploads({ db, cache });
      await requeueStrandedImports({ db, cache });
      await dropOrphanStaging(db);
    } catch (error) {
      logger().warn({ err: error }, "import sweep failed");
    }
  };
  const timer = setInterval(() => void sweep(), options.sweepIntervalMs ?? 60_000);
  timer.unref();
  await sweep();
  current.set({
    cache,
    async stop() {
      clearInterval(timer);
      // Running imports stop at their next batch and go back to queued: they resume, from
      // their last loaded line, at the next start (or on another worker, with Redis).
      stop.abort();
      await closeImportQueue(cache);
    },
  });
}

/** Stops taking jobs, interrupts the running ones (they resume later) and ends the threads. */
export async function stopImportWorkers(): Promise<void> {
  const workers = current.get();
  current.set(undefined);
  await workers?.stop();
}
