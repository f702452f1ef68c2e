import { describe, expect, it } from "vitest";

import { ImportInputError } from "./import-input-error";
import { chooseDelimiter, parseCsv } from "./parse-csv";
import { parseJsonArray } from "./parse-json-array";
import { parseNdjson } from "./parse-ndjson";
import { slices } from "./read-source";
import { MAX_ROW_CHARS, type RowBatches, type SourceRow } from "./source-row";

async function* chunked(text: string, size = 7): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function rows(batches: RowBatches): Promise<SourceRow[]> {
  const all: SourceRow[] = [];
  for await (const batch of batches) all.push(...batch.rows);
  return all;
}
const csv = (text: string, delimiter?: "," | ";") =>
  rows(parseCsv(chunked(text), { headerLine: text.split(/\r?\n/, 1)[0]!, delimiter }));

describe("CSV", () => {
  it("detects the delimiter among , ; tab |", () => {
    expect(chooseDelimiter("a;b;c")).toBe(";");
    expect(chooseDelimiter("a\tb")).toBe("\t");
    expect(chooseDelimiter('"x,y"|b|c')).toBe("|");
    expect(chooseDelimiter("single")).toBe(",");
    expect(() => chooseDelimiter("a;b;c", ",")).toThrow(/looks ";"-delimited/);
  });

  it("reads quotes, CRLF and multi-line fields, numbering rows by their first line", async () => {
    const result = await csv('a,b\r\n1,"x, ""y"""\r\n\r\n2,"two\r\nlines"\r\n3,z');
    expect(result).toEqual([
      // chars: the row's values and separators, what bounds a transform batch's size.
      { line: 2, values: { a: "1", b: 'x, "y"' }, chars: 9 },
      { line: 4, values: { a: "2", b: "two\r\nlines" }, chars: 13 },
      { line: 6, values: { a: "3", b: "z" }, chars: 4 },
    ]);
  });

  it("makes a row with too many fields a row error, an unclosed quote fatal", async () => {
    const result = await csv("a,b\n1,2,3\n4,5\n");
    expect(result[0]).toEqual({
      line: 2,
      error: { line: 2, column: null, reason: "has 3 fields; the header has 2" },
    });
    expect(result[1]).toEqual({ line: 3, values: { a: "4", b: "5" }, chars: 4 });
    await expect(csv('a,b\n1,"open\n2,3\n')).rejects.toThrow(/Unbalanced quotes/);
  });

  it("fails on a row over the limit instead of reading on from its middle", async () => {
    // Two-byte characters: csv-parse counts the limit in bytes of UTF-8.
    const long = "ł".repeat(MAX_ROW_CHARS / 2 + 1000);
    const text = `a,b\n1,2\n3,${long}\n4,"x\n5"\n`;
    await expect(rows(parseCsv(chunked(text, 65_536), { headerLine: "a,b" }))).rejects.toThrow(
      `Line 3 is longer than ${MAX_ROW_CHARS} bytes, the limit of a row.`,
    );
    await expect(csv("a,a\n1,2\n")).rejects.toThrow(/twice/);
    await expect(csv("a,b\n")).rejects.toThrow(/header but no rows/);
  });
});

describe("NDJSON and JSON arrays", () => {
  it("reads NDJSON lines, a bad line being a row error", async () => {
    const result = await rows(parseNdjson(chunked('{"a":1}\r\n\n[1]\n{"b":\n{"c":"}"}')));
    expect(result.map((row) => row.line)).toEqual([1, 3, 4, 5]);
    expect(result[1]).toMatchObject({ error: { reason: "must be a JSON object" } });
    expect(result[2]).toMatchObject({ error: { reason: /is not JSON/ } });
    expect(result[3]).toEqual({ line: 5, values: { c: "}" }, chars: 9 });
  });

  it("splits a streamed array into elements, whatever the chunk boundaries", async () => {
    const text = ' [ {"a": "x,]\\"}"}, {"b": [1, {"c": 2}]}, 3 ]\n';
    for (const size of [1, 2, 5, 100]) {
      const result = await rows(parseJsonArray(chunked(text, size)));
      expect(result).toEqual([
        { line: 1, values: { a: 'x,]"}' }, chars: expect.any(Number) as number },
        { line: 2, values: { b: [1, { c: 2 }] }, chars: expect.any(Number) as number },
        { line: 3, error: { line: 3, column: null, reason: "must be a JSON object" } },
      ]);
    }
  });

  it("refuses an array that never closes, or text after it", async () => {
    await expect(rows(parseJsonArray(chunked('[{"a":1}, {"b":')))).rejects.toThrow(/never closed/);
    await expect(rows(parseJsonArray(chunked('[{"a":1}] x')))).rejects.toBeInstanceOf(
      ImportInputError,
    );
    await expect(rows(parseJsonArray(chunked("[]")))).rejects.toThrow(/no rows/);
    await expect(rows(parseJsonArray(chunked('{"a":1}')))).rejects.toThrow(/must start with \[/);
  });
});

describe("the source text", () => {
  it("is handed on in slices that never split a surrogate pair", () => {
    const text = "ab😀cd😀😀e";
    for (const size of [1, 2, 3, 4, 5]) {
      const pieces = [...slices(text, size)];
      expect(pieces.join("")).toBe(text);
      for (const piece of pieces) {
        expect(piece.length).toBeLessThanOrEqual(Math.max(size, 2));
        expect(piece).toBe(Buffer.from(piece).toString());
      }
    }
  });

  it("joins an NDJSON line that spans many chunks once, whole", async () => {
    const long = JSON.stringify({ text: "x".repeat(50_000) });
    const result = await rows(parseNdjson(chunked(`${long}\n{"a":1}\n\n${long}`, 1000)));
    expect(result.map((row) => row.line)).toEqual([1, 2, 4]);
    expect(result[2]).toEqual({ line: 4, values: JSON.parse(long) as unknown, chars: long.length });
  });
});
