import { describe, expect, it } from "vitest";

import {
  INACTIVE,
  linearFit,
  nextState,
  observe,
  type AlertCondition,
  type AlertInstanceState,
} from "./alert-state";

const MINUTE = 60_000;
const threshold = (overrides: Partial<AlertCondition> = {}): AlertCondition => ({
  function: "avg",
  kind: "threshold",
  operator: ">",
  threshold: 500,
  trendWindows: null,
  trendHorizonMs: null,
  forMs: 0,
  keepFiringForMs: 0,
  ...overrides,
});

/** The states after each 5-minute window, given whether the condition held in it. */
function run(condition: AlertCondition, holds: boolean[]): AlertInstanceState["state"][] {
  let state = INACTIVE;
  return holds.map((held, i) => {
    state = nextState(condition, state, {
      start: i * 5 * MINUTE,
      end: (i + 1) * 5 * MINUTE,
      holds: held,
    });
    return state.state;
  });
}

describe("an alert's states", () => {
  it("fires at once without `for`, and resolves at once without `keep_firing_for`", () => {
    expect(run(threshold(), [false, true, true, false, false, true])).toEqual([
      "inactive",
      "firing",
      "firing",
      "resolved",
      "resolved",
      "firing",
    ]);
  });

  it("waits in pending until the condition has held over `for`, and drops back if it stops", () => {
    const condition = threshold({ forMs: 15 * MINUTE });
    expect(run(condition, [true, true, false, true, true, true, true])).toEqual([
      "pending",
      "pending",
      "inactive",
      "pending",
      "pending",
      "firing",
      "firing",
    ]);
  });

  it("keeps firing through a dip shorter than `keep_firing_for`: no flapping", () => {
    const condition = threshold({ keepFiringForMs: 10 * MINUTE });
    expect(run(condition, [true, false, true, false, false, true])).toEqual([
      "firing",
      "firing",
      "firing",
      "firing",
      "resolved",
      "firing",
    ]);
  });
});

describe("a trend", () => {
  const windows = (values: number[]) =>
    values.map((value, i) => ({ start: i * MINUTE, end: (i + 1) * MINUTE, value }));

  it("fits a line: its slope per minute and its value ahead", () => {
    const fit = linearFit([
      { x: 0, y: 1 },
      { x: MINUTE, y: 3 },
      { x: 2 * MINUTE, y: 5 },
    ])!;
    expect(fit.slopePerMinute).toBeCloseTo(2);
    expect(fit.at(10 * MINUTE)).toBeCloseTo(21);
    expect(linearFit([{ x: 0, y: 1 }])).toBeNull();
  });

  it("observes the slope of the last N windows, or the value predicted a horizon ahead", () => {
    const rising = windows([100, 100, 10, 20, 30]);
    const slope = threshold({ kind: "trend", trendWindows: 3 });
    expect(observe(slope, rising)).toBeCloseTo(10);
    // The line through 10, 20, 30 at minutes 2.5, 3.5, 4.5, ten minutes after the last window's
    // end (minute 15): 30 + 10 × (15 − 4.5) = 135.
    const predict = threshold({ kind: "trend", trendWindows: 3, trendHorizonMs: 10 * MINUTE });
    expect(observe(predict, rising)).toBeCloseTo(135);
    expect(observe(predict, windows([5]))).toBeNull();
  });
});
