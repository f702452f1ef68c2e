import { describe, expect, it } from "vitest";

import { timeTicks } from "./traffic-format";

const T = Date.UTC(2026, 0, 1, 11, 0, 0);
const minutes = (ticks: number[]) => ticks.map((t) => (t - T) / 60_000);

describe("timeTicks", () => {
  it("puts ticks on round minutes, no more than six", () => {
    expect(minutes(timeTicks([T + 30_000, T + 15 * 60_000 + 30_000]))).toEqual([5, 10, 15]);
    expect(minutes(timeTicks([T, T + 5 * 60_000]))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(minutes(timeTicks([T, T + 6 * 3_600_000]))).toEqual([60, 180, 300]); // even UTC hours
    expect(minutes(timeTicks([T, T + 3_600_000]))).toEqual([0, 15, 30, 45, 60]);
  });
});
