/** A problem with one row: it goes to the error report, and the row is not loaded. */
export type RowError = { line: number; column: string | null; reason: string };

/**
 * One row of the source, as the parsers hand it on: its values by column or key, or why it could
 * not be read. `line` is the 1-based line where it starts (CSV, NDJSON) or its 1-based position in
 * a JSON array; with the import's id it identifies the loaded record (exactly once).
 */
export type SourceRow =
  | {
      line: number;
      values: Record<string, unknown>;
      /** The row's length in the source text: batches are bounded by it as well as by rows. */
      chars: number;
    }
  | { line: number; error: RowError };

/**
 * A place in the source a later run can start reading from: just after a row (its terminator
 * included). `bytes` counts the file's text as UTF-8 after gunzip and without a byte-order mark;
 * `line` is the last line consumed (CSV, NDJSON) or the last element read (JSON array), so the
 * next row's number follows it. A run that fails resumes here instead of from the first row
 * (checkpoint.ts).
 */
export type SourcePosition = { bytes: number; line: number };

/**
 * Rows are handed on in arrays: one async step per chunk of the file, not per row. `end` is where
 * the source stands after the batch's last row, when it is a place reading can resume from.
 */
export type RowBatch = { rows: SourceRow[]; end: SourcePosition | null };
export type RowBatches = AsyncIterable<RowBatch>;

/**
 * The longest row an import takes (a longer one fails the import, naming its line). Rows are parsed
 * and transformed in a thread whose heap is capped at 48 MB (transformed-source.ts): a 4M-character
 * row, with its parsed values and jsonb text (twice the size in UTF-16 when not Latin-1), fits;
 * 15M-character rows did not, nor does a 4M-character row of millions of tiny values (that fails
 * the import naming the row). csv-parse measures a CSV row in bytes of UTF-8, so there the limit is
 * 4 MiB of UTF-8, fewer characters when they are not ASCII.
 */
export const MAX_ROW_CHARS = 4 * 1024 * 1024;

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
