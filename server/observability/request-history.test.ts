import { describe, expect, it } from "vitest";

import { RequestHistory } from "./request-history";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** A history on a clock the test moves. */
function historyAt(start = T0, intervalSeconds = 10, retentionSeconds = 60) {
  const clock = { now: start };
  const history = new RequestHistory({ intervalSeconds, retentionSeconds, now: () => clock.now });
  return { history, clock };
}

const ok = (ms: number) => ({ endpoint: "/api/v1/lake/data", status: 200, seconds: ms / 1000 });

describe("RequestHistory", () => {
  it("shows the open interval as a partial point that grows", () => {
    const { history, clock } = historyAt(T0 + 1_000);
    history.observe(ok(5));
    clock.now = T0 + 4_000;
    history.observe(ok(7));
    const { points } = history.since(0);
    expect(points).toEqual([
      expect.objectContaining({ t: T0, seconds: 4, requests: 2, partial: true }),
    ]);
  });

  it("closes intervals with their counts, error classes and quantiles", () => {
    const { history, clock } = historyAt();
    for (let i = 1; i <= 100; i++) history.observe(ok(i));
    history.observe({ endpoint: "/api/v1/lake/data", status: 404, seconds: 0.001 });
    history.observe({ endpoint: "/api/v1/lake/data", status: 503, seconds: 0.001 });
    clock.now = T0 + 10_500;
    const [closed, open] = history.since(0).points;
    expect(closed).toMatchObject({ t: T0, seconds: 10, requests: 102, partial: false });
    expect(closed).toMatchObject({ clientErrors: 1, serverErrors: 1 });
    // 102 durations: two of 1 ms, then 1..100 ms; within the sketch's 1 %.
    expect(closed!.p50Ms).toBeGreaterThan(49 * 0.99);
    expect(closed!.p50Ms).toBeLessThan(50 * 1.01);
    expect(closed!.p99Ms).toBeGreaterThan(99 * 0.99);
    expect(closed!.p99Ms).toBeLessThan(100 * 1.01);
    expect(open).toMatchObject({ t: T0 + 10_000, requests: 0, p50Ms: null, partial: true });
  });

  it("fills quiet intervals with zeros and never invents time before it started", () => {
    const { history, clock } = historyAt();
    history.observe(ok(3));
    clock.now = T0 + 35_000;
    history.observe(ok(3));
    const points = history.since(T0 - 3_600_000).points;
    expect(points.map((p) => [p.t - T0, p.requests])).toEqual([
      [0, 1],
      [10_000, 0],
      [20_000, 0],
      [30_000, 1],
    ]);
    expect(points[1]).toMatchObject({ seconds: 10, p99Ms: null, partial: false });
  });

  it("answers from the interval holding `from`, so a client refreshes its partial point", () => {
    const { history, clock } = historyAt();
    history.observe(ok(3));
    clock.now = T0 + 25_000;
    expect(history.since(T0 + 12_345).points.map((p) => p.t - T0)).toEqual([10_000, 20_000]);
  });

  it("keeps only the retention: older slots are overwritten and not shown", () => {
    const { history, clock } = historyAt(T0, 10, 60);
    history.observe(ok(1));
    clock.now = T0 + 70_000;
    history.observe(ok(1));
    const points = history.since(0).points;
    expect(points).toHaveLength(6);
    expect(points[0]!.t).toBe(T0 + 20_000);
    expect(points.reduce((sum, p) => sum + p.requests, 0)).toBe(1);
  });

  it("does not count probes", () => {
    const { history } = historyAt();
    for (const endpoint of ["/health", "/ready", "/metrics"]) {
      history.observe({ endpoint, status: 200, seconds: 0.001 });
    }
    expect(history.since(0).points[0]!.requests).toBe(0);
  });

  it("keeps counting into the open interval when the clock steps back", () => {
    const { history, clock } = historyAt(T0 + 15_000);
    history.observe(ok(1));
    clock.now = T0 + 5_000;
    history.observe(ok(1));
    expect(history.since(0).points).toEqual([
      expect.objectContaining({ t: T0 + 10_000, requests: 2, seconds: 0 }),
    ]);
  });
});
