// The shapes the import suite loads, and their files, written as streams (a 1M-row file is never
// held in memory). Every row is a function of its index, so the suite knows what must be stored.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { type Writable } from "node:stream";
import { createGzip } from "node:zlib";

export type Format = "csv" | "ndjson" | "json";
type Payload = Record<string, string | number>;

export type Shape = {
  name: string;
  /** Rows in the large run (short shapes) or in every run (wide and long ones). */
  rows: number;
  columns: string[];
  row(i: number): Payload;
  /** The dataset's JSON Schema for the runs with one. */
  schema: object;
  /** The containment (`payload @> …`) that finds row i among the import's records. */
  key(i: number): Payload;
  /** An SQL aggregate over the import's payloads, and its value for rows 0…n−1. */
  aggregate: { sql: string; expected(rows: number): string };
};

const sumTo = (rows: number) => ((BigInt(rows) * BigInt(rows - 1)) / 2n).toString();
const integer = { type: "integer" } as const;
const text = { type: "string" } as const;
const WIDE_COLUMNS = Array.from({ length: 200 }, (_, j) => `c${String(j).padStart(3, "0")}`);
const WORDS = ["lake", "data", "ström", "naïve", 'quote"d', "comma,ed", "tab\tbed", "emoji 😀"];

/** ~64K characters of text with quotes, commas, tabs, newlines and non-ASCII, no edge blanks. */
function longText(i: number): string {
  const parts: string[] = [`row ${i}:`];
  for (let k = 0; parts.length < 18_000; k++) {
    parts.push(WORDS[(i + k) % WORDS.length]!, k % 50 === 49 ? "\n" : " ");
  }
  return parts.join("") + "end";
}

/**
 * Rows just under the parsers' limit (MAX_ROW_CHARS: characters in NDJSON and JSON, bytes of UTF-8
 * in CSV) in text V8 keeps at two bytes a character: the most one row may ask of the source
 * thread's capped heap. "ł" is two bytes in UTF-8, so the CSV line stays under the limit too.
 */
const LIMIT_TEXT_CHARS = Math.floor((4 * 1024 * 1024 - 4096) / 1.5);
function limitText(i: number): string {
  const unit = `łódź ${i} `; // 7 characters, 10 bytes of UTF-8
  // No blank at either edge: imports trim text.
  return `${unit.repeat(Math.ceil(LIMIT_TEXT_CHARS / unit.length)).slice(0, LIMIT_TEXT_CHARS - 1)}z`;
}

/** Rows of an id and one text cell; the aggregate is the text's length in characters. */
function textShape(name: string, rows: number, text: (i: number) => string): Shape {
  return {
    name,
    rows,
    columns: ["id", "text"],
    row: (i) => ({ id: i, text: text(i) }),
    schema: {
      type: "object",
      properties: { id: integer, text: { type: "string" } },
      required: ["id", "text"],
    },
    key: (i) => ({ id: i }),
    aggregate: {
      sql: "sum(length(payload->>'text'))",
      expected: (count) => {
        let chars = 0;
        for (let i = 0; i < count; i++) chars += [...text(i)].length;
        return String(chars);
      },
    },
  };
}

export const SHAPES: Shape[] = [
  {
    name: "one column",
    rows: 1_000_000,
    columns: ["n"],
    row: (i) => ({ n: i }),
    schema: { type: "object", properties: { n: integer }, required: ["n"] },
    key: (i) => ({ n: i }),
    aggregate: { sql: "sum((payload->>'n')::bigint)", expected: sumTo },
  },
  {
    name: "two short columns",
    rows: 1_000_000,
    columns: ["name", "score"],
    row: (i) => ({ name: `n${i}`, score: i % 100 }),
    schema: { type: "object", properties: { name: text, score: integer }, required: ["name"] },
    key: (i) => ({ name: `n${i}` }),
    aggregate: {
      sql: "sum((payload->>'score')::bigint)",
      expected: (rows) => {
        const full = Math.floor(rows / 100);
        const rest = rows % 100;
        return String(full * 4950 + (rest * (rest - 1)) / 2);
      },
    },
  },
  {
    name: "wide (200 columns)",
    rows: 2_000,
    columns: WIDE_COLUMNS,
    row: (i) => Object.fromEntries(WIDE_COLUMNS.map((c, j) => [c, j === 0 ? i : (i * j) % 1000])),
    schema: {
      type: "object",
      properties: Object.fromEntries(WIDE_COLUMNS.map((c) => [c, integer])),
      required: WIDE_COLUMNS,
    },
    key: (i) => ({ c000: i }),
    aggregate: { sql: "sum((payload->>'c000')::bigint)", expected: sumTo },
  },
  textShape("long text cells (64K)", 300, longText),
  textShape("rows at the row limit (4 MB, two-byte text)", 3, limitText),
];

const csvCell = (value: string | number) => {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function* lines(shape: Shape, format: Format, rows: number): Generator<string> {
  if (format === "csv") yield shape.columns.join(",") + "\n";
  if (format === "json") yield "[\n";
  for (let i = 0; i < rows; i++) {
    const row = shape.row(i);
    if (format === "csv") yield shape.columns.map((c) => csvCell(row[c]!)).join(",") + "\n";
    else if (format === "ndjson") yield JSON.stringify(row) + "\n";
    else yield (i === 0 ? "" : ",\n") + JSON.stringify(row);
  }
  if (format === "json") yield "\n]\n";
}

/** Writes `rows` rows of `shape` as `format` (gzipped when asked); resolves with its bytes. */
export async function writeShapeFile(options: {
  file: string;
  shape: Shape;
  format: Format;
  rows: number;
  gzip: boolean;
}): Promise<number> {
  const out = createWriteStream(options.file);
  const sink: Writable = options.gzip ? createGzip({ level: 1 }) : out;
  if (options.gzip) sink.pipe(out);
  let pending = "";
  for (const line of lines(options.shape, options.format, options.rows)) {
    pending += line;
    if (pending.length >= 256 * 1024) {
      if (!sink.write(pending)) await once(sink, "drain");
      pending = "";
    }
  }
  sink.end(pending);
  await once(out, "finish");
  return out.bytesWritten;
}
