import { describe, expect, it } from "vitest";

import { principalPlane } from "./principal-plane";
import { clusters } from "./testing/vector-fixtures";

describe("principalPlane", () => {
  it("recovers the spread of points on a known plane, with the query placed on it", () => {
    // Points on the x/y plane of a 5-d space, spread more along x than y.
    const rows = [
      [4, 0, 0, 0, 0],
      [-4, 0, 0, 0, 0],
      [0, 1, 0, 0, 0],
      [0, -1, 0, 0, 0],
    ];
    const plane = principalPlane(rows);
    const abs = plane.points.map(([x, y]) => [Math.abs(x), Math.abs(y)]);
    expect(abs[0]![0]).toBeCloseTo(4);
    expect(abs[2]![1]).toBeCloseTo(1);
    expect(abs[2]![0]).toBeCloseTo(0);
    const [qx, qy] = plane.project([2, 0.5, 9, 9, 9]);
    expect(Math.abs(qx)).toBeCloseTo(2);
    expect(Math.abs(qy)).toBeCloseTo(0.5);
  });

  it("stays finite with duplicates, a single direction, and identical rows", () => {
    const duplicates = principalPlane([
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(duplicates.points.flat().every(Number.isFinite)).toBe(true);
    expect(Math.abs(duplicates.points[0]![0] - duplicates.points[2]![0])).toBeGreaterThan(1);
    expect(duplicates.points.map(([, y]) => y)).toEqual([0, 0, 0, 0]);

    const same = principalPlane([
      [1, 2],
      [1, 2],
    ]);
    expect(same.points).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(same.project([5, 5])).toEqual([0, 0]);
  });

  it("separates clusters of 1536-d vectors, fast", () => {
    const space = clusters(3, 2, 0.2);
    const rows = Array.from({ length: 200 }, (_, i) => space.near(i % 2));
    const started = performance.now();
    const plane = principalPlane(rows);
    expect(performance.now() - started).toBeLessThan(2_000);
    const sides = plane.points.map(([x]) => Math.sign(x));
    expect(new Set(sides.filter((_, i) => i % 2 === 0)).size).toBe(1);
    expect(sides[0]).not.toBe(sides[1]);
  });
});
