import { ImportInputError } from "./import-input-error";
import { isPlainObject, MAX_ROW_CHARS, type RowBatches, type SourceRow } from "./source-row";

/** One JSON value per line, as a row or a row error: never fatal, a bad line is just rejected. */
function toRow(text: string, line: number): SourceRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      line,
      error: { line, column: null, reason: `is not JSON: ${(error as Error).message}` },
    };
  }
  if (!isPlainObject(value)) {
    return { line, error: { line, column: null, reason: "must be a JSON object" } };
  }
  return { line, values: value, chars: text.length };
}

/**
 * Newline-delimited JSON (LF or CRLF); blank lines are skipped but keep the line numbers true. A
 * line that spans chunks is kept in pieces and joined once, so a long line costs its length, not
 * its length times the chunks it spans.
 */
export async function* parseNdjson(chunks: AsyncIterable<string>): RowBatches {
  let pending: string[] = [];
  let pendingChars = 0;
  let line = 0;
  let rows = 0;
  const take = (batch: SourceRow[], rest: string) => {
    const text = (pending.length ? pending.join("") + rest : rest).trim();
    pending = [];
    pendingChars = 0;
    line += 1;
    if (text) batch.push(toRow(text, line));
  };
  for await (const chunk of chunks) {
    const batch: SourceRow[] = [];
    let start = 0;
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", start)) {
      take(batch, chunk.slice(start, end));
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.slice(start));
      pendingChars += chunk.length - start;
    }
    if (pendingChars > MAX_ROW_CHARS) {
      throw new ImportInputError(`Line ${line + 1} is longer than ${MAX_ROW_CHARS} characters.`);
    }
    rows += batch.length;
    if (batch.length) yield batch;
  }
  const last: SourceRow[] = [];
  take(last, "");
  rows += last.length;
  if (last.length) yield last;
  if (rows === 0) throw new ImportInputError("The file has no rows.");
}
