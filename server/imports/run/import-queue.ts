import { type CacheServices } from "../../cache/cache-services";
import { cacheServices } from "../../cache/client";
import { type JobQueue } from "../../cache/queue";
import { singleton } from "../../singleton";
import { IMPORT_ATTEMPTS } from "./import-config";

export type ImportQueueJob = { importId: string };

// One queue per cache-services instance (tests start several per process), on globalThis so that
// route handlers and the workers started by main.ts share it.
const queues = () =>
  singleton("import-queues", () => new WeakMap<CacheServices, JobQueue<ImportQueueJob>>());

/** The import queue: BullMQ with Redis (workers anywhere), in-process otherwise. */
export function importQueue(services: CacheServices = cacheServices()): JobQueue<ImportQueueJob> {
  let queue = queues().get(services);
  if (!queue) {
    queue = services.createJobQueue<ImportQueueJob>({ name: "imports", attempts: IMPORT_ATTEMPTS });
    queues().set(services, queue);
  }
  return queue;
}

export async function closeImportQueue(services: CacheServices): Promise<void> {
  const queue = queues().get(services);
  queues().delete(services);
  await queue?.close();
}

/**
 * Queues a run of an import. The queue job id names the import and how many runs it has had, so
 * the same request twice (a finished upload reported again, the reconciler's sweep) queues one
 * run, while a retry after a failure — more attempts on the row — queues a new one.
 */
export async function enqueueImport(
  job: { id: string; attempts: number },
  options: { services?: CacheServices; suffix?: string } = {},
): Promise<void> {
  await importQueue(options.services).add(
    { importId: job.id },
    { jobId: `${job.id}.a${job.attempts}${options.suffix ?? ""}` },
  );
}
