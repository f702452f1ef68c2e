import { bulkhead, BulkheadRejectedError } from "cockatiel";

import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { singleton } from "../../singleton";

export type SearchPipeline = {
  /** Runs `search` when a slot is free; 503 `service_unavailable` when the queue is full too. */
  run<T>(search: () => Promise<T>): Promise<T>;
};

/**
 * The seed's bound on vector searches: at most `maxConcurrent` at once per instance, then a
 * bounded FIFO queue. Beyond it a search fails at once with 503 rather than piling up on the
 * database pool, whose connections every other request needs too.
 */
export function createSearchPipeline(options: {
  maxConcurrent: number;
  queue: number;
}): SearchPipeline {
  const policy = bulkhead(options.maxConcurrent, options.queue);
  return {
    async run(search) {
      try {
        return await policy.execute(search);
      } catch (error) {
        if (!(error instanceof BulkheadRejectedError)) throw error;
        throw new AppError(
          "service_unavailable",
          "Too many vector searches are running; try again shortly.",
          { max_concurrent: options.maxConcurrent, queue: options.queue },
          { "Retry-After": "1" },
        );
      }
    },
  };
}

/** The process's pipeline (one per process: the bound is per instance). */
export function searchPipeline(): SearchPipeline {
  return singleton("vectors:search-pipeline", () =>
    createSearchPipeline({
      maxConcurrent: env().LAKE_VECTOR_MAX_CONCURRENT_SEARCHES,
      queue: env().LAKE_VECTOR_SEARCH_QUEUE,
    }),
  );
}
