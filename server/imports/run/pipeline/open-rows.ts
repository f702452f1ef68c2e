import { type ConcreteFormat, type ImportFormat, type ImportOptions } from "../../imports.schemas";
import { ImportInputError } from "./import-input-error";
import { parseCsv } from "./parse-csv";
import { parseJsonArray } from "./parse-json-array";
import { parseNdjson } from "./parse-ndjson";
import { readSource } from "./read-source";
import { type RowBatches, type SourcePosition } from "./source-row";

/** The format a filename names, if any (a `.gz` suffix is looked through). */
function formatFromFilename(filename: string | null): ConcreteFormat | undefined {
  const name = (filename ?? "").toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".csv") || name.endsWith(".tsv")) return "csv";
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return "ndjson";
  if (name.endsWith(".json")) return "json";
  return undefined;
}

/** By the first character: `[` a JSON array, `{` NDJSON, anything else CSV. */
export function detectFormat(
  requested: ImportFormat,
  filename: string | null,
  head: string,
): ConcreteFormat {
  if (requested !== "auto") return requested;
  const byName = formatFromFilename(filename);
  if (byName) return byName;
  const first = head.trimStart()[0];
  return first === "[" ? "json" : first === "{" ? "ndjson" : "csv";
}

/** The chunks again, with the ones already read in front. */
async function* prepend(read: string[], rest: AsyncIterator<string>): AsyncGenerator<string> {
  yield* read;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/**
 * The upload's rows, streamed: reads the file (gunzip, strict UTF-8), reads ahead just far enough
 * to detect the format and, for CSV, to see the whole header line, then hands on to the parser —
 * from the start, or, given `resumeAt`, from that place (the head is still read for the format
 * and the header).
 */
export async function openRows(options: {
  path: string;
  format: ImportFormat;
  filename: string | null;
  importOptions: ImportOptions;
  resumeAt?: SourcePosition;
}): Promise<{ format: ConcreteFormat; batches: RowBatches; bytesRead: () => number }> {
  const { resumeAt } = options;
  let source = await readSource({ path: options.path, gzip: options.importOptions.gzip });
  const iterator = source.chunks[Symbol.asyncIterator]();
  const head: string[] = [];
  let text = "";
  // Enough to see the first line (CSV header) or the first non-blank character.
  while (!/\n/.test(text) && text.length < 1024 * 1024) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    text += next.value;
  }
  if (!text.trim()) throw new ImportInputError("The file is empty.");
  const format = detectFormat(options.format, options.filename, text);
  let chunks: AsyncIterable<string> = prepend(head, iterator);
  if (resumeAt) {
    await iterator.return?.();
    source = await readSource({
      path: options.path,
      gzip: options.importOptions.gzip,
      skip: resumeAt.bytes,
    });
    chunks = source.chunks;
  }
  const batches =
    format === "csv"
      ? parseCsv(chunks, {
          headerLine: text.split(/\r?\n|\r/, 1)[0]!,
          delimiter: options.importOptions.delimiter,
          start: resumeAt,
        })
      : format === "ndjson"
        ? parseNdjson(chunks, resumeAt)
        : parseJsonArray(chunks, resumeAt);
  return { format, batches, bytesRead: () => source.bytesRead() };
}
