import { ImportInputError } from "./import-input-error";
import {
  isPlainObject,
  MAX_ROW_CHARS,
  type RowBatches,
  type SourcePosition,
  type SourceRow,
} from "./source-row";

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
 * its length times the chunks it spans. Each batch ends at a chunk's last newline, which is where
 * a resumed run starts (`start`: the chunks then begin there, and numbering goes on from it).
 */
export async function* parseNdjson(
  chunks: AsyncIterable<string>,
  start: SourcePosition = { bytes: 0, line: 0 },
): RowBatches {
  let pending: string[] = [];
  let pendingChars = 0;
  // UTF-8 bytes of the complete lines read, and of the incomplete one held in `pending`.
  let consumed = start.bytes;
  let pendingBytes = 0;
  let line = start.line;
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
    let from = 0;
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", from)) {
      take(batch, chunk.slice(from, end));
      from = end + 1;
    }
    if (from > 0) {
      consumed +=
        pendingBytes + Buffer.byteLength(from === chunk.length ? chunk : chunk.slice(0, from));
      pendingBytes = 0;
    }
    if (from < chunk.length) {
      const rest = chunk.slice(from);
      pending.push(rest);
      pendingChars += rest.length;
      pendingBytes += Buffer.byteLength(rest);
    }
    if (pendingChars > MAX_ROW_CHARS) {
      throw new ImportInputError(`Line ${line + 1} is longer than ${MAX_ROW_CHARS} characters.`);
    }
    rows += batch.length;
    if (batch.length) yield { rows: batch, end: from > 0 ? { bytes: consumed, line } : null };
  }
  const last: SourceRow[] = [];
  take(last, "");
  rows += last.length;
  if (last.length) yield { rows: last, end: null };
  // A resumed run may find nothing left after its start: the rows before it were counted then.
  if (rows === 0 && start.line === 0) throw new ImportInputError("The file has no rows.");
}
