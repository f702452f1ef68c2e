// Resuming a parse from a batch's `end`: the rows after it, numbered as in a whole-file parse —
// the property a retried import's checkpoint (checkpoint.ts) stands on.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { afterAll, describe, expect, it } from "vitest";

import { openRows } from "./open-rows";
import { parseCsv } from "./parse-csv";
import { parseJsonArray } from "./parse-json-array";
import { parseNdjson } from "./parse-ndjson";
import { slices } from "./read-source";
import { type RowBatches, type SourcePosition, type SourceRow } from "./source-row";

// As readSource hands text on: in slices that never split a surrogate pair.
async function* chunked(text: string, size: number): AsyncGenerator<string> {
  yield* slices(text, size);
}

async function collect(batches: RowBatches) {
  const rows: SourceRow[] = [];
  const ends: { end: SourcePosition; rowsBefore: number }[] = [];
  for await (const batch of batches) {
    rows.push(...batch.rows);
    if (batch.end) ends.push({ end: batch.end, rowsBefore: rows.length });
  }
  return { rows, ends };
}

/** The text after `bytes` UTF-8 bytes (what a resumed run reads). */
const after = (text: string, bytes: number) => Buffer.from(text).subarray(bytes).toString();

type Parse = (chunks: AsyncIterable<string>, start?: SourcePosition) => RowBatches;

/** Every place a whole parse offers, resumed from: the rest of the rows, nothing else. */
async function expectResumable(text: string, parse: Parse) {
  for (const size of [3, 16, 1000, 100_000]) {
    const whole = await collect(parse(chunked(text, size)));
    // (One chunk holding a whole small file may offer no place inside it; small chunks do.)
    if (size <= 16) expect(whole.ends.length).toBeGreaterThan(1);
    for (const { end, rowsBefore } of whole.ends) {
      const resumed = await collect(parse(chunked(after(text, end.bytes), size), end));
      expect(resumed.rows).toEqual(whole.rows.slice(rowsBefore));
    }
  }
}

const header = "id,name,note";
// 2,500 rows: the CSV parser hands rows on in batches of 1,000, so there are places inside.
const csvText = [
  header,
  ...Array.from({ length: 500 }, (_, i) => [
    `${i}1,"Zoë","two\r\nlines"`,
    `${i}2,naïve,😀`,
    "",
    `${i}3,x,y,extra`,
    `${i}4,"quoted ""here""",last`,
    `${i}5,é,😀😀`,
  ]).flat(),
].join("\r\n");

describe("a parse resumed from a batch's end", () => {
  it("CSV: the same rows and line numbers, CRLF, quoted newlines and multi-byte text", async () => {
    await expectResumable(csvText, (chunks, start) =>
      parseCsv(chunks, { headerLine: header, start }),
    );
  });

  it("NDJSON: the same rows and line numbers, blank lines and multi-byte text", async () => {
    const text = '{"a":"é"}\n\n{"b":"😀"}\r\nnot json\n{"c":[1,2]}\n{"d":"ü"}';
    await expectResumable(text, parseNdjson);
  });

  it("JSON array: the same elements, numbered as in the whole array", async () => {
    const text = '[ {"a":"é,]"}, {"b":"😀"},\n 3, {"c":{"d":[1,2]}}, {"e":"ü"} ]';
    await expectResumable(text, parseJsonArray);
  });

  it("says nothing is missing when a resumed run finds no rows left", async () => {
    const tail = { bytes: Buffer.byteLength(csvText), line: 3001 };
    const resumed = await collect(parseCsv(chunked("", 5), { headerLine: header, start: tail }));
    expect(resumed.rows).toEqual([]);
  });
});

describe("openRows from a position", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "lake-resume-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const importOptions = { trim: true, start: "auto" as const };
  const files = {
    "plain.csv": Buffer.from(csvText),
    "bom.csv": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText)]),
    "gzip.csv.gz": gzipSync(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csvText)])),
  };

  it.each(Object.keys(files))("reads %s on from the place a whole read offered", async (name) => {
    const file = path.join(dir, name);
    writeFileSync(file, files[name as keyof typeof files]);
    const open = (resumeAt?: SourcePosition) =>
      openRows({ path: file, format: "auto", filename: name, importOptions, resumeAt });
    const whole = await collect((await open()).batches);
    // The parser's batches are large: take a place from a small-chunk parse of the same text.
    const places = await collect(parseCsv(chunked(csvText, 3), { headerLine: header }));
    for (const { end, rowsBefore } of places.ends) {
      const resumed = await collect((await open(end)).batches);
      expect(resumed.rows).toEqual(whole.rows.slice(rowsBefore));
    }
  });
});
