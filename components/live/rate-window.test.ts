import { describe, expect, it } from "vitest";

import { appendBounded } from "./event-buffer";
import { compareOffsets } from "./offsets";
import { RateWindow } from "./rate-window";

const at = (second: number, ms = 0) => second * 1000 + ms;
const iso = (ms: number) => new Date(ms).toISOString();

describe("RateWindow", () => {
  it("counts events per complete second with their average lags", () => {
    const window = new RateWindow(60);
    const start = 1_800_000_000;
    window.add(at(start, 100), iso(at(start, 0)), iso(at(start, 50)));
    window.add(at(start, 900), iso(at(start, 500)), iso(at(start, 800)));
    window.add(at(start + 1, 0), "not a time", iso(at(start + 1, 0)));
    const series = window.series(at(start + 2, 10));
    expect(series).toHaveLength(60);
    expect(series.at(-2)).toEqual({ second: -2, rate: 2, eventLagMs: 250, storedLagMs: 75 });
    expect(series.at(-1)).toEqual({ second: -1, rate: 1, eventLagMs: null, storedLagMs: 0 });
    expect(series[0]).toEqual({ second: -60, rate: 0, eventLagMs: null, storedLagMs: null });
  });

  it("forgets seconds that left the window, and clamps a negative lag to zero", () => {
    const window = new RateWindow(60);
    const start = 1_800_000_000;
    window.add(at(start), iso(at(start, 400)), iso(at(start)));
    expect(window.series(at(start + 1)).at(-1)).toMatchObject({ rate: 1, eventLagMs: 0 });
    // 61 s later the ring slot is reused by another second.
    window.add(at(start + 61), iso(at(start + 61)), iso(at(start + 61)));
    const later = window.series(at(start + 62));
    expect(later.reduce((sum, point) => sum + point.rate, 0)).toBe(1);
    window.reset();
    expect(window.series(at(start + 62)).every((point) => point.rate === 0)).toBe(true);
  });
});

describe("appendBounded", () => {
  it("keeps the newest items only, in order", () => {
    expect(appendBounded([1, 2, 3], [4, 5], 4)).toEqual([2, 3, 4, 5]);
    expect(appendBounded([1, 2], [3], 5)).toEqual([1, 2, 3]);
    expect(appendBounded([1], [2, 3, 4, 5, 6], 3)).toEqual([4, 5, 6]);
    const buffer = [1, 2];
    expect(appendBounded(buffer, [], 5)).not.toBe(buffer);
  });
});

describe("compareOffsets", () => {
  it("orders decimal offsets as numbers, beyond 2^53 too", () => {
    expect(compareOffsets("9", "10")).toBeLessThan(0);
    expect(compareOffsets("100", "99")).toBeGreaterThan(0);
    expect(compareOffsets("9007199254740993", "9007199254740992")).toBeGreaterThan(0);
    expect(compareOffsets("42", "42")).toBe(0);
  });
});
