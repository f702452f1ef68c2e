import { describe, expect, it } from "vitest";

import {
  csvRecords,
  detectDelimiter,
  headerLine,
  parsePreview,
  previewFormat,
} from "./file-preview";
import { jsonArrayHead } from "./json-array-head";

const options = {
  filename: "stock.csv",
  format: "auto" as const,
  delimiter: null,
  header: true,
  complete: true,
};

describe("parsePreview", () => {
  it("reads a semicolon CSV with its header, detecting the delimiter as the server does", () => {
    const preview = parsePreview('sku;qty;note\nA-1;12;"a; b"\r\nA-2;0;"say ""hi"""\n', options);
    expect(preview).toEqual({
      format: "csv",
      delimiter: ";",
      columns: ["sku", "qty", "note"],
      rows: [
        ["A-1", "12", "a; b"],
        ["A-2", "0", 'say "hi"'],
      ],
    });
  });

  it("reads with the chosen delimiter, even where another is more frequent", () => {
    const preview = parsePreview("a,b|c\n1,2|3\n", { ...options, delimiter: "|" });
    expect(preview).toMatchObject({ columns: ["a,b", "c"], rows: [["1,2", "3"]] });
  });

  it("names the columns of a file without a header, and keeps its first row as data", () => {
    const preview = parsePreview("A-1,12\nA-2,0\n", { ...options, header: false });
    expect(preview).toMatchObject({
      columns: ["column_1", "column_2"],
      rows: [
        ["A-1", "12"],
        ["A-2", "0"],
      ],
    });
  });

  it("drops the row cut at the end of a head that is not the whole file", () => {
    const preview = parsePreview('a,b\n1,2\n3,"unfinished', { ...options, complete: false });
    expect(preview).toMatchObject({ rows: [["1", "2"]] });
  });

  it("shows at most 20 rows, and pads short rows", () => {
    const text = ["a,b", ...Array.from({ length: 30 }, (_, i) => (i === 0 ? "1" : `${i},x`))];
    const preview = parsePreview(text.join("\n"), options);
    expect(preview).toMatchObject({ columns: ["a", "b"] });
    if (!("rows" in preview)) throw new Error("no rows");
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[0]).toEqual(["1", ""]);
  });

  it("reads NDJSON with every key the first rows use, values as text", () => {
    const text = '{"sku":"D-1","qty":5}\n\n{"sku":"D-2","tags":["a"],"qty":null}\n{"sku":';
    expect(parsePreview(text, { ...options, filename: "x.ndjson", complete: false })).toEqual({
      format: "ndjson",
      delimiter: null,
      columns: ["sku", "qty", "tags"],
      rows: [
        ["D-1", "5", ""],
        ["D-2", "null", '["a"]'],
      ],
    });
  });

  it("says which NDJSON line is broken, and that an empty file is empty", () => {
    expect(parsePreview('{"a":1}\n[1]\n', { ...options, filename: "x.jsonl" })).toEqual({
      format: "ndjson",
      error: "Line 2 is not a JSON object.",
    });
    expect(parsePreview(" \n", options)).toEqual({ format: "csv", error: "The file is empty." });
  });

  it("reads a JSON array's first objects like NDJSON rows, from a head cut mid-object", () => {
    const text =
      '[\n  {"sku": "J-1", "qty": 3},\n  {"sku": "J-2", "dims": {"w": 2}},\n  {"sku": "J-';
    expect(parsePreview(text, { ...options, filename: "upload", complete: false })).toEqual({
      format: "json",
      delimiter: null,
      columns: ["sku", "qty", "dims"],
      rows: [
        ["J-1", "3", ""],
        ["J-2", "", '{"w":2}'],
      ],
    });
  });

  it("says what is wrong with a JSON array the import would not read", () => {
    const json = { ...options, filename: "rows.json" };
    expect(parsePreview('[{"a":1}, 2]', json)).toEqual({
      format: "json",
      error: "Element 2 of the array is not a JSON object.",
    });
    expect(parsePreview('{"a":1}', json)).toEqual({
      format: "json",
      error: "The file is not a JSON array: it must start with [.",
    });
    // Its first element longer than the head: nothing to show, and that is said.
    expect(parsePreview(`[{"a":"${"x".repeat(50)}`, { ...json, complete: false })).toMatchObject({
      format: "json",
      message: expect.stringContaining("first element is longer") as string,
    });
  });
});

describe("jsonArrayHead", () => {
  const head = (text: string, complete = true, max = 20) => jsonArrayHead(text, { max, complete });

  it("yields every element whose end is in the head, wherever the head is cut", () => {
    // Strings holding what the scan watches for: quotes, escapes, braces, brackets, commas.
    const elements = ['{"a":1,"s":"x, } ] \\\\ \\" {"}', '{"b":[1,{"c":"["}]}', '{"d":"]"}'];
    const whole = `[${elements.join(",")}]`;
    const values = elements.map((element) => JSON.parse(element) as unknown);
    expect(head(whole)).toEqual({ values });
    // Where each element ends: at the comma or ] after it.
    const ends = elements.map((_, k) => 1 + elements.slice(0, k + 1).join(",").length);
    for (let cut = 0; cut < whole.length; cut++) {
      const done = ends.filter((end) => end < cut).length;
      expect(head(whole.slice(0, cut), false), `cut at ${cut}`).toEqual({
        values: values.slice(0, done),
      });
    }
  });

  it("stops at max, without reading on", () => {
    expect(head('[{"n":1}, {"n":2}, {"n":3}, not json', true, 2)).toEqual({
      values: [{ n: 1 }, { n: 2 }],
    });
  });

  it("reads whitespace around and between elements, and any JSON value as an element", () => {
    expect(head('\ufeff \r\n[ 1 ,\t"two" , null,[3] ]\n')).toEqual({
      values: [1, "two", null, [3]],
    });
  });

  it("refuses what the import refuses", () => {
    expect(head("")).toEqual({ error: "The file is empty." });
    expect(head("[]")).toEqual({ error: "The JSON array is empty: the file has no rows." });
    expect(head("[{},]")).toEqual({ error: "Element 2 of the array is empty." });
    expect(head("[{}, {oops}]")).toEqual({ error: "Element 2 of the array is not valid JSON." });
    expect(head("[{}] x")).toEqual({
      error: 'Unexpected text after the end of the JSON array: "x".',
    });
    expect(head('[{"a":1}, {"b"')).toEqual({
      error: "The JSON array is never closed: the file ends inside it (after 1 element).",
    });
    // The same array cut off in a head is no error: the rest of the file is simply not read.
    expect(head('[{"a":1}, {"b"', false)).toEqual({ values: [{ a: 1 }] });
  });
});

describe("format and delimiter detection", () => {
  it("goes by the chosen format, then the name (through .gz), then the first character", () => {
    expect(previewFormat("ndjson", "a.csv", "x")).toBe("ndjson");
    expect(previewFormat("auto", "A.TSV.gz", "{")).toBe("csv");
    expect(previewFormat("auto", "rows.jsonl", "")).toBe("ndjson");
    expect(previewFormat("auto", "upload", "  [")).toBe("json");
    expect(previewFormat("auto", "upload", "{}")).toBe("ndjson");
    expect(previewFormat("auto", "upload", "a,b")).toBe("csv");
  });

  it("ignores delimiters inside quotes, and falls back to a comma", () => {
    expect(detectDelimiter('"a;b;c",d\tx\te')).toBe("\t");
    expect(detectDelimiter("single")).toBe(",");
  });

  it("skips blank lines and a BOM", () => {
    expect(csvRecords("\ufeffa,b\n\n1,2", ",", 10, true)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("writes the header line a header-less file is uploaded behind", () => {
    expect(headerLine(["sku", "qty"], ";")).toBe("sku;qty\n");
  });
});
