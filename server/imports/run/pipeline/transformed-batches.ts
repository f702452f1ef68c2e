import { type BatchResult, type TransformMode, type TransformPlan } from "./row-transform";
import { type RowBatches, type SourceRow } from "./source-row";
import { type TransformPool } from "./transform-pool";

/**
 * A transform batch's source text, at most (bar one row longer than that): 10000 typical rows are
 * ~1 MB, so only wide rows make batches shorter than LAKE_IMPORT_TRANSFORM_BATCH. What a batch
 * holds in memory then depends on its bytes, not on how wide the rows are, and fits the source
 * thread's capped heap (transformed-source.ts).
 */
export const MAX_BATCH_CHARS = 2_000_000;

/** The parser's small batches regrouped into transform batches of `size` rows (or fewer, wide ones). */
async function* regroup(
  batches: RowBatches,
  size: number,
  maxChars: number,
): AsyncGenerator<SourceRow[]> {
  let group: SourceRow[] = [];
  let chars = 0;
  for await (const batch of batches) {
    for (const row of batch) {
      group.push(row);
      chars += "chars" in row ? row.chars : 0;
      if (group.length >= size || chars >= maxChars) {
        yield group;
        group = [];
        chars = 0;
      }
    }
  }
  if (group.length) yield group;
}

/**
 * Transform batches in file order, with up to `pool.parallelism` of them on workers at once while
 * the caller consumes (validates counts, or loads) the earliest. Memory is bounded by
 * (parallelism + 1) × batch size rows, whatever the file's size.
 */
export async function* transformedBatches(options: {
  batches: RowBatches;
  pool: TransformPool;
  plan: TransformPlan;
  mode: TransformMode;
  batchSize: number;
}): AsyncGenerator<{ rows: number; result: BatchResult }> {
  const inFlight: Promise<{ rows: number; result: BatchResult }>[] = [];
  const { pool, plan, mode } = options;
  try {
    for await (const rows of regroup(options.batches, options.batchSize, MAX_BATCH_CHARS)) {
      // The count, not the rows: once posted to a worker, the batch can be collected here.
      const count = rows.length;
      inFlight.push(pool.run(plan, rows, mode).then((result) => ({ rows: count, result })));
      if (inFlight.length > pool.parallelism) yield await inFlight.shift()!;
    }
    while (inFlight.length) yield await inFlight.shift()!;
  } finally {
    // Settle what is still running so no rejection goes unhandled when the consumer stops early.
    await Promise.allSettled(inFlight);
  }
}
