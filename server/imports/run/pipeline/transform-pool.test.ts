import { setTimeout as sleep } from "node:timers/promises";

import { afterEach, describe, expect, it } from "vitest";

import { transformBatch, type TransformPlan } from "./row-transform";
import { type SourceRow } from "./source-row";
import { createTransformPool, type TransformPool } from "./transform-pool";

const plan: TransformPlan = {
  coerceText: true,
  schema: null,
  schemaKey: "test",
  mapping: {},
  timestamps: [],
  trim: true,
  coerce: { n: ["number", "null"] },
};
const rows = (count: number, text = "x"): SourceRow[] =>
  Array.from({ length: count }, (_, i) => ({
    line: i + 2,
    values: { n: String(i), text: `${text} ${i}` },
    chars: text.length + 8,
  }));

describe("transform pool", () => {
  let pool: TransformPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it("starts threads with the first batch and ends them when idle", async () => {
    pool = createTransformPool(4, { idleMs: 200 });
    expect(pool.parallelism).toBeGreaterThanOrEqual(1);
    expect(pool.threads).toBe(0);
    const batch = rows(50);
    expect(await pool.run(plan, batch, "load")).toEqual(transformBatch(plan, batch, "load"));
    expect(pool.threads).toBe(1);
    await sleep(600);
    expect(pool.threads).toBe(0);
    // And starts again for the next import.
    expect((await pool.run(plan, rows(3), "validate")).accepted).toBe(3);
  }, 30_000);

  it("transforms a batch that does not fit a thread's heap on the main thread", async () => {
    pool = createTransformPool(1, { heapMb: 2 });
    const batch = rows(20, "y".repeat(1_000_000));
    const result = await pool.run(plan, batch, "load");
    expect(result.accepted).toBe(20);
    expect(result.checksum).toBe(transformBatch(plan, batch, "load").checksum);
  }, 30_000);
});
