import { type BatchResult, type TransformMode, type TransformPlan } from "./row-transform";
import { type RowBatches, type SourcePosition, type SourceRow } from "./source-row";
import { type TransformPool } from "./transform-pool";

/**
 * A transform batch's source text, at most (bar one row longer than that): 10000 typical rows are
 * ~1 MB, so only wide rows make batches shorter than LAKE_IMPORT_TRANSFORM_BATCH. What a batch
 * holds in memory then depends on its bytes, not on how wide the rows are, and fits the source
 * thread's capped heap (transformed-source.ts).
 */
export const MAX_BATCH_CHARS = 2_000_000;

/**
 * The parser's small batches regrouped into transform batches of `size` rows (or fewer, wide
 * ones). A group is closed before a parser batch that would overflow it rather than inside it, so
 * that it ends where the parser said reading can resume (`end`); only a parser batch larger than
 * a whole group is split, and its pieces but the last have no such place.
 */
async function* regroup(batches: RowBatches, size: number, maxChars: number): RowBatches {
  let group: SourceRow[] = [];
  let chars = 0;
  let end: SourcePosition | null = null;
  const charsOf = (rows: SourceRow[]) =>
    rows.reduce((sum, row) => sum + ("chars" in row ? row.chars : 0), 0);
  for await (const batch of batches) {
    const batchChars = charsOf(batch.rows);
    if (
      group.length &&
      (group.length + batch.rows.length > size || chars + batchChars > maxChars)
    ) {
      yield { rows: group, end };
      group = [];
      chars = 0;
    }
    for (const row of batch.rows) {
      group.push(row);
      chars += "chars" in row ? row.chars : 0;
      if (group.length >= size || chars >= maxChars) {
        const last = row === batch.rows.at(-1);
        yield { rows: group, end: last ? batch.end : null };
        group = [];
        chars = 0;
      }
    }
    end = batch.end;
  }
  if (group.length) yield { rows: group, end };
}

/** A transform batch's outcome: its row count, the result, and where the source stands after it. */
export type TransformedRows = { rows: number; result: BatchResult; end: SourcePosition | null };

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
}): AsyncGenerator<TransformedRows> {
  const inFlight: Promise<TransformedRows>[] = [];
  const { pool, plan, mode } = options;
  try {
    for await (const { rows, end } of regroup(
      options.batches,
      options.batchSize,
      MAX_BATCH_CHARS,
    )) {
      // The count, not the rows: once posted to a worker, the batch can be collected here.
      const count = rows.length;
      inFlight.push(pool.run(plan, rows, mode).then((result) => ({ rows: count, result, end })));
      if (inFlight.length > pool.parallelism) yield await inFlight.shift()!;
    }
    while (inFlight.length) yield await inFlight.shift()!;
  } finally {
    // Settle what is still running so no rejection goes unhandled when the consumer stops early.
    await Promise.allSettled(inFlight);
  }
}
