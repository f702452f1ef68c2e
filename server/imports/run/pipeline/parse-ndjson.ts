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

/** Newline-delimited JSON (LF or CRLF); blank lines are skipped but keep the line numbers true. */
export async function* parseNdjson(chunks: AsyncIterable<string>): RowBatches {
  let pending = "";
  let line = 0;
  let rows = 0;
  for await (const chunk of chunks) {
    const parts = (pending + chunk).split("\n");
    pending = parts.pop()!;
    if (pending.length > MAX_ROW_CHARS) {
      throw new ImportInputError(`Line ${line + 1} is longer than ${MAX_ROW_CHARS} characters.`);
    }
    const batch: SourceRow[] = [];
    for (const part of parts) {
      line += 1;
      const text = part.trim();
      if (text) batch.push(toRow(text, line));
    }
    rows += batch.length;
    if (batch.length) yield batch;
  }
  line += 1;
  if (pending.trim()) {
    rows += 1;
    yield [toRow(pending.trim(), line)];
  }
  if (rows === 0) throw new ImportInputError("The file has no rows.");
}
