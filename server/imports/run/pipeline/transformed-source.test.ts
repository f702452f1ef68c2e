import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { importOptionsSchema } from "../../imports.schemas";
import { ImportInputError, ImportMemoryError } from "./import-input-error";
import { type TransformPlan } from "./row-transform";
import { MAX_BATCH_CHARS } from "./transformed-batches";
import { openTransformedSource } from "./transformed-source";

const dir = mkdtempSync(path.join(tmpdir(), "lake-source-thread-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan: TransformPlan = {
  coerceText: true,
  schema: null,
  schemaKey: "test",
  mapping: {},
  timestamps: [],
  trim: false,
  coerce: { n: ["number"] },
};

async function readAll(file: string, mode: "validate" | "load" | "copy", batchSize = 10_000) {
  const source = await openTransformedSource({
    path: file,
    format: "auto",
    filename: path.basename(file),
    importOptions: importOptionsSchema.parse({}),
    batchSize,
    workers: 0,
  });
  const batches: { rows: number; accepted: number; errors: number }[] = [];
  for await (const { rows, result } of source.batches(plan, mode)) {
    batches.push({ rows, accepted: result.accepted, errors: result.rejected });
  }
  return { format: source.format, batches };
}

describe("the source thread", () => {
  it("reads, parses and transforms a file in its own thread, in file order", async () => {
    const file = path.join(dir, "small.csv");
    writeFileSync(
      file,
      "n,text\n" +
        Array.from({ length: 25 }, (_, i) => `${i},row ${i}\n`).join("") +
        "1,too,many\n",
    );
    const { format, batches } = await readAll(file, "validate");
    expect(format).toBe("csv");
    expect(batches).toEqual([{ rows: 26, accepted: 25, errors: 1 }]);
  });

  it("cuts wide rows into shorter batches, so a file of them fits its capped heap", async () => {
    // 400 rows of 40,000 characters: 16 MB, in batches of ~2 MB of text (50 rows), not one.
    const wide = "w".repeat(40_000);
    const file = path.join(dir, "wide.csv");
    writeFileSync(
      file,
      "n,text\n" + Array.from({ length: 400 }, (_, i) => `${i},${wide}\n`).join(""),
    );
    const { batches } = await readAll(file, "load");
    expect(batches.reduce((sum, b) => sum + b.accepted, 0)).toBe(400);
    const rowsPerBatch = Math.ceil(MAX_BATCH_CHARS / 40_003);
    // Cut at the parser's batches (~256K characters) so each ends where a run can resume: a
    // batch holds at most rowsPerBatch rows, and nearly as many.
    for (const batch of batches) expect(batch.rows).toBeLessThanOrEqual(rowsPerBatch);
    expect(batches[0]!.rows).toBeGreaterThan(rowsPerBatch - (256 * 1024) / 40_003 - 1);
  }, 60_000);

  it("fails with the parser's message when the file is broken, and ends the thread", async () => {
    const file = path.join(dir, "broken.csv");
    writeFileSync(file, 'a,b\n1,"open\n2,3\n');
    await expect(readAll(file, "validate")).rejects.toThrow(/Unbalanced quotes/);
  });

  it("reads a megabyte of two short columns: rows, not characters, bound what is parsed at once", async () => {
    // ~80,000 rows in the first 1 MB read of the file: parsed all at once, they overflowed the
    // thread's 48 MB heap, and the import failed blaming its (13-character) rows.
    const file = path.join(dir, "short.csv");
    writeFileSync(
      file,
      "name,score\n" + Array.from({ length: 100_000 }, (_, i) => `n${i},${i}\n`).join(""),
    );
    const { batches } = await readAll(file, "validate");
    expect(batches.reduce((sum, b) => sum + b.accepted, 0)).toBe(100_000);
  });

  it("runs out of memory blaming the importer, not the rows, when the rows are short", async () => {
    // A transform batch of 2 million characters of 2-character rows is a million rows at once:
    // the settings' fault, not the file's.
    const file = path.join(dir, "ones.csv");
    writeFileSync(file, "n\n" + "1\n".repeat(1_500_000));
    const failure = await readAll(file, "copy", 100_000_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportMemoryError);
    expect((failure as Error).message).toMatch(
      /ran out of its memory \(48 MB\) near line \d+, with transform batches of up to 100000000 rows: a fault of the importer or its settings, not of the file \(the longest row it held had 2 characters\)/,
    );
  }, 60_000);

  it("blames a row only when that one row is too large for the memory", async () => {
    // Within the 4M-character limit, but 1.9 million values: too many objects for the heap.
    const file = path.join(dir, "big-row.ndjson");
    const values = new Array(1_900_000).fill(0).join(",");
    writeFileSync(file, `{"a":1}\n{"a":[${values}]}\n{"a":2}\n`);
    const failure = await readAll(file, "copy").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportInputError);
    expect((failure as Error).message).toBe(
      "The row at line 2 (3,800,007 characters) did not fit the import's memory (48 MB) once parsed: shorten or split rows this large.",
    );
  }, 60_000);

  it("counts every rejected row but sends only the reasons the report lists, cut short", async () => {
    const file = path.join(dir, "bad.csv");
    const longField = "x".repeat(100_000);
    writeFileSync(
      file,
      "n,text\n" +
        `1,${longField}"quote\n` +
        Array.from({ length: 12_000 }, (_, i) => `${i},a,b\n`).join("") +
        "2,fine\n",
    );
    const source = await openTransformedSource({
      path: file,
      format: "auto",
      filename: "bad.csv",
      importOptions: importOptionsSchema.parse({}),
      batchSize: 10_000,
      workers: 0,
    });
    let rejected = 0;
    let accepted = 0;
    const reasons: string[] = [];
    for await (const { result } of source.batches(plan, "validate", { reportErrors: 25 })) {
      rejected += result.rejected;
      accepted += result.accepted;
      reasons.push(...result.errors.map((error) => error.reason));
    }
    expect({ rejected, accepted, reasons: reasons.length }).toEqual({
      rejected: 12_001,
      accepted: 1,
      reasons: 25,
    });
    expect(reasons[0]).toMatch(/^Invalid Opening Quote/);
    expect(reasons[0]!.length).toBe(501);
    expect(reasons[1]).toBe("has 3 fields; the header has 2");
  });

  it("reads long two-byte text cells: the parser's batches are bounded by characters too", async () => {
    // 300 rows of ~68K two-byte characters (~40 MB as strings): once held by the parser all at
    // once, before the first row reached the transform, they ran the thread out of memory.
    const cell = `"${'ström, ""naïve"" €\n'.repeat(4_000)}end"`;
    const file = path.join(dir, "long.csv");
    writeFileSync(
      file,
      "n,text\n" + Array.from({ length: 300 }, (_, i) => `${i},${cell}\n`).join(""),
    );
    const { batches } = await readAll(file, "validate");
    expect(batches.reduce((sum, b) => sum + b.accepted, 0)).toBe(300);
  }, 60_000);
});
