import { describe, expect, it } from "vitest";

import { LatencySketch, RELATIVE_ACCURACY } from "./latency-sketch";

/** The exact q-quantile by the sketch's definition: the value at rank floor(q·(n−1)). */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe("LatencySketch", () => {
  it("answers null until something is added", () => {
    expect(new LatencySketch().quantile(0.5)).toBeNull();
  });

  it("answers every quantile within its relative accuracy", () => {
    const sketch = new LatencySketch();
    // Seeded pseudo-random, long-tailed durations from 0.05 ms to ~20 s.
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const durations = Array.from({ length: 50_000 }, () => 0.05 * Math.exp(random() * 13));
    durations.forEach((ms) => sketch.add(ms));
    const sorted = [...durations].sort((a, b) => a - b);
    for (const q of [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs(sketch.quantile(q)! - exact) / exact).toBeLessThanOrEqual(
        RELATIVE_ACCURACY + 1e-9,
      );
    }
    expect(sketch.count).toBe(50_000);
  });

  it("clamps what lies outside 10 µs – 10 min and ignores non-numbers", () => {
    const sketch = new LatencySketch();
    sketch.add(0);
    sketch.add(Number.NaN);
    expect(sketch.count).toBe(1);
    expect(sketch.quantile(0.5)).toBeCloseTo(0.01, 3);
    sketch.add(3_600_000);
    expect(sketch.quantile(1)).toBe(600_000);
  });

  it("starts over after reset", () => {
    const sketch = new LatencySketch();
    sketch.add(100);
    sketch.reset();
    expect(sketch.count).toBe(0);
    expect(sketch.quantile(0.99)).toBeNull();
  });
});
