import type { ImportFormat } from "./import-types";
import { jsonArrayHead } from "./json-array-head";

/** The delimiters the server reads (imports.schemas.ts CSV_DELIMITERS), by their metadata names. */
export const DELIMITERS = [
  { value: ",", name: "comma", label: "Comma (,)" },
  { value: ";", name: "semicolon", label: "Semicolon (;)" },
  { value: "\t", name: "tab", label: "Tab" },
  { value: "|", name: "pipe", label: "Pipe (|)" },
] as const;
export type Delimiter = (typeof DELIMITERS)[number]["value"];

/** Rows the preview shows; enough to judge columns and values, little enough to read at once. */
export const PREVIEW_ROWS = 20;

export type PreviewOptions = {
  filename: string;
  format: ImportFormat;
  /** null: detected from the first line, as the server does when none is sent. */
  delimiter: Delimiter | null;
  /** false: the first CSV line is data; the columns are named column_1, column_2… */
  header: boolean;
  /** The text is the whole file, so its last line is complete. */
  complete: boolean;
};

export type FilePreview =
  | {
      format: "csv" | "ndjson" | "json";
      /** CSV: the delimiter used (the chosen or the detected one). */
      delimiter: Delimiter | null;
      columns: string[];
      /** Cells as text, one array per row, aligned with `columns`. */
      rows: string[][];
    }
  | { format: "json"; message: string }
  | { format: "csv" | "ndjson" | "json"; error: string };

/** As the server decides (open-rows.ts): the chosen format, else the filename, else the first character. */
export function previewFormat(
  format: ImportFormat,
  filename: string,
  text: string,
): "csv" | "ndjson" | "json" {
  if (format !== "auto") return format;
  const name = filename.toLowerCase().replace(/\.gz$/, "");
  if (name.endsWith(".csv") || name.endsWith(".tsv")) return "csv";
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return "ndjson";
  if (name.endsWith(".json")) return "json";
  const first = text.trimStart()[0];
  return first === "[" ? "json" : first === "{" ? "ndjson" : "csv";
}

/** The most frequent candidate outside quotes in the header line (the server's rule); comma if none. */
export function detectDelimiter(firstLine: string): Delimiter {
  const unquoted = firstLine.replace(/"[^"]*"/g, "");
  let best: Delimiter = ",";
  let bestCount = 0;
  for (const { value } of DELIMITERS) {
    const count = unquoted.split(value).length - 1;
    if (count > bestCount) [best, bestCount] = [value, count];
  }
  return best;
}

/**
 * Up to `max` CSV records (RFC 4180: quoted fields with doubled quotes, CRLF or LF). With
 * `complete` false the text was cut mid-file, so a record still open at its end is dropped.
 */
export function csvRecords(
  text: string,
  delimiter: string,
  max: number,
  complete: boolean,
): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    record.push(field);
    field = "";
    // A blank line is no record (the server skips them too).
    if (record.length > 1 || record[0] !== "") records.push(record);
    record = [];
  };
  for (; i < text.length && records.length < max; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
    } else field += c;
  }
  if (records.length < max && complete && !quoted && (field !== "" || record.length > 0)) {
    endRecord();
  }
  return records;
}

const cellText = (value: unknown) =>
  value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Objects as rows: a column per key, in the order keys first appear, so a field missing from the
 * first row still shows.
 */
function objectRows(format: "ndjson" | "json", objects: Record<string, unknown>[]): FilePreview {
  const columns = [...new Set(objects.flatMap((object) => Object.keys(object)))];
  const rows = objects.map((object) => columns.map((column) => cellText(object[column])));
  return { format, delimiter: null, columns, rows };
}

function ndjsonPreview(text: string, complete: boolean): FilePreview {
  const lines = text.split(/\r?\n/);
  if (!complete) lines.pop();
  const objects: Record<string, unknown>[] = [];
  for (const [index, line] of lines.entries()) {
    if (objects.length >= PREVIEW_ROWS) break;
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (!isObject(value)) {
        return { format: "ndjson", error: `Line ${index + 1} is not a JSON object.` };
      }
      objects.push(value);
    } catch {
      return { format: "ndjson", error: `Line ${index + 1} is not valid JSON.` };
    }
  }
  return objectRows("ndjson", objects);
}

/** The first elements of a JSON array, read off the head of the file (json-array-head.ts). */
function jsonArrayPreview(text: string, complete: boolean): FilePreview {
  const head = jsonArrayHead(text, { max: PREVIEW_ROWS, complete });
  if ("error" in head) return { format: "json", error: head.error };
  const index = head.values.findIndex((value) => !isObject(value));
  if (index >= 0) {
    return { format: "json", error: `Element ${index + 1} of the array is not a JSON object.` };
  }
  if (head.values.length === 0) {
    return {
      format: "json",
      message:
        "The array's first element is longer than the part of the file the preview reads; its fields are imported under their own names and checked when the import runs.",
    };
  }
  return objectRows("json", head.values as Record<string, unknown>[]);
}

/** The first rows of a file as the import would read them, from the text of its head. */
export function parsePreview(text: string, options: PreviewOptions): FilePreview {
  const format = previewFormat(options.format, options.filename, text);
  if (!text.trim()) return { format, error: "The file is empty." };
  if (format === "ndjson") return ndjsonPreview(text, options.complete);
  if (format === "json") return jsonArrayPreview(text, options.complete);
  const delimiter = options.delimiter ?? detectDelimiter(text.split(/\r?\n|\r/, 1)[0]!);
  const records = csvRecords(text, delimiter, PREVIEW_ROWS + 1, options.complete);
  const width = Math.max(0, ...records.map((record) => record.length));
  const columns = options.header
    ? (records.shift() ?? [])
    : Array.from({ length: width }, (_, index) => `column_${index + 1}`);
  const rows = records
    .slice(0, PREVIEW_ROWS)
    .map((record) => columns.map((_, index) => record[index] ?? ""));
  return { format, delimiter, columns, rows };
}

/** The header line a file without one is uploaded behind, so the server reads its columns by name. */
export function headerLine(columns: readonly string[], delimiter: string): string {
  return `${columns.join(delimiter)}\n`;
}

export const delimiterName = (delimiter: Delimiter) =>
  DELIMITERS.find((option) => option.value === delimiter)!.name;
