import { type WindowFunction } from "../windows/aggregation-rule.schemas";

export type AlertStateName = "inactive" | "pending" | "firing" | "resolved";
export type Comparison = ">" | ">=" | "<" | "<=";

/** An alert rule as it is evaluated: durations in milliseconds. */
export type AlertCondition = {
  function: WindowFunction;
  kind: "threshold" | "trend";
  operator: Comparison;
  threshold: number;
  /** Trend: windows in the fit, and the prediction's horizon (null: compare the slope per minute). */
  trendWindows: number | null;
  trendHorizonMs: number | null;
  forMs: number;
  keepFiringForMs: number;
};

export type AlertInstanceState = {
  state: AlertStateName;
  /** Start of the first window of the current run where the condition held. */
  activeSince: number | null;
  /** Start of the first window, while firing, where it stopped holding. */
  clearSince: number | null;
};

export const INACTIVE: AlertInstanceState = {
  state: "inactive",
  activeSince: null,
  clearSince: null,
};

export function compare(value: number, operator: Comparison, threshold: number): boolean {
  switch (operator) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
  }
}

/** A window's value of one function; null when it has none (an avg of no numbers). */
export function windowValue(
  window: { count: number; sum: number | null; min: number | null; max: number | null },
  fn: WindowFunction,
): number | null {
  switch (fn) {
    case "count":
      return window.count;
    case "sum":
      return window.sum;
    case "avg":
      return window.sum === null || window.count === 0 ? null : window.sum / window.count;
    case "min":
      return window.min;
    case "max":
      return window.max;
  }
}

/**
 * The least-squares line through the points (x in ms): its slope per minute, and its value at
 * `at`. Null with fewer than two distinct times.
 */
export function linearFit(
  points: { x: number; y: number }[],
): { slopePerMinute: number; at: (x: number) => number } | null {
  if (points.length < 2) return null;
  const n = points.length;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slopePerMinute: slope * 60_000, at: (x) => meanY + slope * (x - meanX) };
}

/**
 * What the condition observes at a window: the window's value (threshold), or the trend of the
 * last `trendWindows` windows' values ending with it — its slope per minute, or the value its line
 * predicts `trendHorizonMs` after the window's end (like Prometheus' predict_linear).
 */
export function observe(
  condition: AlertCondition,
  history: { start: number; end: number; value: number }[],
): number | null {
  const current = history.at(-1);
  if (!current) return null;
  if (condition.kind === "threshold") return current.value;
  const points = history
    .slice(-(condition.trendWindows ?? 2))
    .map((w) => ({ x: (w.start + w.end) / 2, y: w.value }));
  const fit = linearFit(points);
  if (!fit) return null;
  return condition.trendHorizonMs === null
    ? fit.slopePerMinute
    : fit.at(current.end + condition.trendHorizonMs);
}

/**
 * One evaluation, at the window [start, end): pending once the condition holds, firing once it
 * has held over `for` (measured over the windows' time: from the first such window's start to
 * this one's end), and while firing, resolved only once it has not held over `keep_firing_for`
 * (Prometheus' semantics, so a value hovering at the threshold does not flap).
 */
export function nextState(
  condition: AlertCondition,
  current: AlertInstanceState,
  window: { start: number; end: number; holds: boolean },
): AlertInstanceState {
  const { start, end, holds } = window;
  if (holds) {
    const activeSince =
      current.state === "pending" || current.state === "firing"
        ? (current.activeSince ?? start)
        : start;
    const firing = current.state === "firing" || end - activeSince >= condition.forMs;
    return { state: firing ? "firing" : "pending", activeSince, clearSince: null };
  }
  if (current.state === "pending") return INACTIVE;
  if (current.state === "firing") {
    const clearSince = current.clearSince ?? start;
    return end - clearSince >= condition.keepFiringForMs
      ? { state: "resolved", activeSince: null, clearSince: null }
      : { ...current, clearSince };
  }
  return current;
}

/** A rule's settings as stored and as sent (durations in seconds), as the evaluator reads them. */
export function conditionOf(rule: {
  function: WindowFunction;
  kind: "threshold" | "trend";
  operator: Comparison;
  threshold: number;
  trendWindows: number | null;
  trendHorizonSeconds: number | null;
  forSeconds: number;
  keepFiringForSeconds: number;
}): AlertCondition {
  return {
    function: rule.function,
    kind: rule.kind,
    operator: rule.operator,
    threshold: rule.threshold,
    trendWindows: rule.trendWindows,
    trendHorizonMs: rule.trendHorizonSeconds === null ? null : rule.trendHorizonSeconds * 1000,
    forMs: rule.forSeconds * 1000,
    keepFiringForMs: rule.keepFiringForSeconds * 1000,
  };
}

/**
 * One evaluation of a group at the newest window of its history: what the condition observed and
 * the state it leads to; null when there is nothing to judge (a trend with one point). The engine
 * (evaluate-alerts.ts) and the editor's preview run exactly this.
 */
export function judge(
  condition: AlertCondition,
  current: AlertInstanceState,
  history: { start: number; end: number; value: number }[],
): { value: number; next: AlertInstanceState } | null {
  const value = observe(condition, history);
  const window = history.at(-1);
  if (value === null || !window) return null;
  const holds = compare(value, condition.operator, condition.threshold);
  return { value, next: nextState(condition, current, { ...window, holds }) };
}
