import { describe, expect, it } from "vitest";

import { buildParams, DEFAULT_TUNING, recallLowerBound, smallestReaching } from "./tuning-plan";

describe("tuning plan", () => {
  it("takes lists from the row count: rows/1000 up to 1M rows, √rows above, at least 1", () => {
    expect(buildParams("ivfflat", 500, DEFAULT_TUNING)).toEqual({ lists: 1 });
    expect(buildParams("ivfflat", 100_000, DEFAULT_TUNING)).toEqual({ lists: 100 });
    expect(buildParams("ivfflat", 4_000_000, DEFAULT_TUNING)).toEqual({ lists: 2000 });
  });

  it("asks a sampled recall to clear the target by its sampling error", () => {
    // 50 queries × 10 neighbours: a bare 0.95 is not enough, 0.97 is.
    expect(recallLowerBound(0.95, 500)).toBeLessThan(0.95);
    expect(recallLowerBound(0.97, 500)).toBeGreaterThanOrEqual(0.95);
    // A perfect but tiny sample proves little.
    expect(recallLowerBound(1, 20)).toBeLessThan(0.95);
    expect(recallLowerBound(1, 500)).toBeGreaterThan(0.99);
  });

  it("finds the smallest setting that reaches, in few measurements", async () => {
    const tried: number[] = [];
    const result = await smallestReaching(1, 100, async (value) => {
      tried.push(value);
      return value >= 37;
    });
    expect(result).toEqual({ value: 37, reached: true });
    expect(tried.length).toBeLessThanOrEqual(14);
    expect(await smallestReaching(1, 8, async () => false)).toEqual({ value: 8, reached: false });
  });
});
