import { Readable } from "node:stream";

import { CsvError, parse } from "csv-parse";

import { CSV_DELIMITERS, type CsvDelimiter } from "../../csv-delimiters";
import { ImportInputError } from "./import-input-error";
import { MAX_ROW_CHARS, type RowBatches, type SourcePosition, type SourceRow } from "./source-row";

const ROWS_PER_BATCH = 1000;
/**
 * Characters of rows a batch holds at most (bar its last row): 1000 rows of 64K-character cells
 * would be 64M characters — ~128 MB of two-byte strings in a 48 MB heap — before a single row
 * reached the transform's own batching (MAX_BATCH_CHARS).
 */
const CHARS_PER_BATCH = 256 * 1024;
const MAX_REASON_CHARS = 500;

/** Occurrences of each candidate delimiter in the header line, quoted parts left out. */
function delimiterCounts(headerLine: string): Map<CsvDelimiter, number> {
  const unquoted = headerLine.replace(/"[^"]*"/g, "");
  return new Map(CSV_DELIMITERS.map((d) => [d, unquoted.split(d).length - 1]));
}

const show = (delimiter: string) => (delimiter === "\t" ? "tab" : `"${delimiter}"`);

/**
 * The header's delimiter: the one asked for, or the most frequent candidate in the first line. A
 * given delimiter that leaves the header as one column while another would split it is the wrong
 * one — failing here beats loading every row as one long string.
 */
export function chooseDelimiter(headerLine: string, requested?: CsvDelimiter): CsvDelimiter {
  const counts = delimiterCounts(headerLine);
  const [best, bestCount] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  if (!requested) return bestCount > 0 ? best : ",";
  if ((counts.get(requested) ?? 0) === 0 && bestCount > 0) {
    throw new ImportInputError(
      `The header has no ${show(requested)} delimiter but ${bestCount} ${show(best)}: the file looks ${show(best)}-delimited. Upload it again with delimiter ${show(best)} (or leave the delimiter unset).`,
    );
  }
  return requested;
}

function checkHeader(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, index) => {
    const name = raw.trim();
    if (!name) throw new ImportInputError(`Column ${index + 1} of the header has no name.`);
    if (seen.has(name)) throw new ImportInputError(`The header names column "${name}" twice.`);
    seen.add(name);
    return name;
  });
}

const newlines = (fields: string[]) =>
  fields.reduce((count, field) => count + (field.match(/\r\n|\n|\r/g)?.length ?? 0), 0);

/** The header line, then the rows after `start`: a resumed run's parser sees the header first. */
async function* afterHeader(headerLine: string, rest: AsyncIterable<string>) {
  yield `${headerLine}\n`;
  yield* rest;
}

/**
 * CSV with a header row (RFC 4180 quoting, CRLF or LF, any of `,` `;` tab `|`), streamed with
 * csv-parse. A record with the wrong number of fields is a row error; an unclosed quote is fatal,
 * since everything after it would be swallowed into one field. Batches end after a record, which
 * is where a resumed run starts: given `start`, the chunks begin there and the header is read
 * from `headerLine` (lines and bytes go on from `start`).
 */
export async function* parseCsv(
  chunks: AsyncIterable<string>,
  options: { headerLine: string; delimiter?: CsvDelimiter; start?: SourcePosition },
): RowBatches {
  const { start } = options;
  // Parser lines and bytes → the file's: a resumed parser's first line is the header given here.
  const lineBase = start ? start.line - 1 : 0;
  const byteBase = start ? start.bytes - Buffer.byteLength(`${options.headerLine}\n`) : 0;
  const delimiter = chooseDelimiter(options.headerLine, options.delimiter);
  const parser = parse({
    delimiter,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_ROW_CHARS,
    info: true,
  });
  // pipe() does not pass a source error on: without this, a truncated gzip would leave the
  // parser waiting for data forever.
  const source = Readable.from(start ? afterHeader(options.headerLine, chunks) : chunks);
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  const skipped: SourceRow[] = [];
  let unclosedQuoteAt: number | undefined;
  let overLimitAt: number | undefined;
  parser.on("skip", (error: CsvError & { lines?: number }) => {
    // Everything after an unclosed quote is one "field": skipping it would silently drop rows.
    if (error.code === "CSV_QUOTE_NOT_CLOSED") {
      unclosedQuoteAt = error.lines ?? 0;
      return;
    }
    // csv-parse drops what it had of the record and reads on from the middle of it: the rest
    // would come out as rows of their own. Fatal, as a line over the limit is in NDJSON.
    if (error.code === "CSV_MAX_RECORD_SIZE") {
      overLimitAt ??= error.lines ?? 0;
      return;
    }
    // csv-parse's message may quote the whole field (up to MAX_ROW_CHARS): kept short, since
    // skipped rows wait here until the next good one.
    const reason =
      error.message.length > MAX_REASON_CHARS
        ? `${error.message.slice(0, MAX_REASON_CHARS)}…`
        : error.message;
    skipped.push({
      line: error.lines ?? 0,
      error: { line: error.lines ?? 0, column: null, reason },
    });
  });
  let header: string[] | undefined;
  let batch: SourceRow[] = [];
  let end: SourcePosition | null = null;
  let batchChars = 0;
  let rows = 0;
  let crlfInFields = 0;
  let parserLines = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; bytes: number };
    }>) {
      if (overLimitAt !== undefined) break;
      // A record that took one line of the parser's has no line break in a field: the scans
      // below, two regular expressions a field, are for those that took more.
      const oneLine = info.lines === parserLines + 1;
      parserLines = info.lines;
      // csv-parse counts a CRLF inside a quoted field as two lines; the file has one there.
      if (!oneLine) {
        crlfInFields += record.reduce((n, field) => n + (field.match(/\r\n/g)?.length ?? 0), 0);
      }
      const lastLine = lineBase + info.lines - crlfInFields;
      const line = oneLine ? lastLine : lastLine - newlines(record);
      if (!header) {
        header = checkHeader(record);
        continue;
      }
      rows += 1;
      if (skipped.length) batch.push(...skipped.splice(0));
      if (record.length !== header.length) {
        batch.push({
          line,
          error: {
            line,
            column: null,
            reason: `has ${record.length} fields; the header has ${header.length}`,
          },
        });
      } else {
        const values: Record<string, unknown> = {};
        let chars = 0;
        for (let i = 0; i < header.length; i++) {
          values[header[i]!] = record[i];
          chars += record[i]!.length + 1;
        }
        batch.push({ line, values, chars });
        batchChars += chars;
      }
      // bytes: just past the record's delimiter, where the next record starts.
      end = { bytes: byteBase + info.bytes, line: lastLine };
      if (batch.length >= ROWS_PER_BATCH || batchChars >= CHARS_PER_BATCH) {
        yield { rows: batch, end };
        batch = [];
        batchChars = 0;
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const at = (error as CsvError & { lines?: number }).lines;
      const where = at ? ` (line ${at})` : "";
      throw new ImportInputError(
        error.code === "CSV_QUOTE_NOT_CLOSED"
          ? `Unbalanced quotes: a quoted field is never closed${where}.`
          : `The CSV cannot be read${where}: ${error.message}`,
      );
    }
    throw error;
  }
  if (overLimitAt !== undefined) {
    // csv-parse measures a record in bytes of UTF-8, so its limit is reached by fewer characters.
    throw new ImportInputError(
      `Line ${lineBase + overLimitAt} is longer than ${MAX_ROW_CHARS} bytes, the limit of a row.`,
    );
  }
  if (unclosedQuoteAt !== undefined) {
    throw new ImportInputError(
      `Unbalanced quotes: a quoted field is never closed (the file ends inside it, at line ${unclosedQuoteAt}).`,
    );
  }
  batch.push(...skipped.splice(0));
  if (!header) throw new ImportInputError("The file is empty.");
  // A resumed run may find nothing left after its start: the rows before it were counted then.
  if (rows === 0 && batch.length === 0 && !start) {
    throw new ImportInputError("The file has a header but no rows.");
  }
  if (batch.length) yield { rows: batch, end: null };
}
