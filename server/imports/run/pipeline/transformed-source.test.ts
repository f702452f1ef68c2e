import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { importOptionsSchema } from "../../imports.schemas";
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

async function readAll(file: string, mode: "validate" | "load") {
  const source = await openTransformedSource({
    path: file,
    format: "auto",
    filename: path.basename(file),
    importOptions: importOptionsSchema.parse({}),
    batchSize: 10_000,
    workers: 0,
  });
  const batches: { rows: number; accepted: number; errors: number }[] = [];
  for await (const { rows, result } of source.batches(plan, mode)) {
    batches.push({ rows, accepted: result.accepted, errors: result.errors.length });
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
    expect(batches[0]!.rows).toBe(rowsPerBatch);
    expect(batches.length).toBe(Math.ceil(400 / rowsPerBatch));
  }, 60_000);

  it("fails with the parser's message when the file is broken, and ends the thread", async () => {
    const file = path.join(dir, "broken.csv");
    writeFileSync(file, 'a,b\n1,"open\n2,3\n');
    await expect(readAll(file, "validate")).rejects.toThrow(/Unbalanced quotes/);
  });
});
