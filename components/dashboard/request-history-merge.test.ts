import { describe, expect, it } from "vitest";

import type { RequestSampleView } from "@/server/overview/overview.schemas";

import { mergeHistory, toTrafficPoint, totalsOf } from "./request-history-merge";

const sample = (t: number, requests: number, partial = false): RequestSampleView => ({
  t,
  seconds: 10,
  requests,
  clientErrors: 0,
  serverErrors: 0,
  p50Ms: null,
  p95Ms: null,
  p99Ms: null,
  partial,
});

describe("mergeHistory", () => {
  it("replaces the partial point and appends the new ones", () => {
    const previous = {
      now: 25_000,
      intervalSeconds: 10,
      points: [sample(0, 1), sample(10_000, 2), sample(20_000, 1, true)],
    };
    const answer = {
      now: 41_000,
      intervalSeconds: 10,
      points: [sample(20_000, 5), sample(30_000, 0), sample(40_000, 3, true)],
    };
    const merged = mergeHistory(previous, answer, 60);
    expect(merged.points.map((p) => [p.t, p.requests, p.partial])).toEqual([
      [0, 1, false],
      [10_000, 2, false],
      [20_000, 5, false],
      [30_000, 0, false],
      [40_000, 3, true],
    ]);
    expect(merged.now).toBe(41_000);
  });

  it("drops points that left the window", () => {
    const previous = {
      now: 25_000,
      intervalSeconds: 10,
      points: [sample(0, 1), sample(10_000, 2)],
    };
    const answer = { now: 75_000, intervalSeconds: 10, points: [sample(70_000, 1, true)] };
    expect(mergeHistory(previous, answer, 60).points.map((p) => p.t)).toEqual([10_000, 70_000]);
  });

  it("starts over when the interval changed", () => {
    const previous = { now: 25_000, intervalSeconds: 10, points: [sample(0, 1)] };
    const answer = { now: 26_000, intervalSeconds: 5, points: [sample(25_000, 1, true)] };
    expect(mergeHistory(previous, answer, 60).points.map((p) => p.t)).toEqual([25_000]);
  });

  it("keeps what it had when a poll brings nothing", () => {
    const previous = { now: 25_000, intervalSeconds: 10, points: [sample(20_000, 1, true)] };
    const answer = { now: 26_000, intervalSeconds: 10, points: [] };
    expect(mergeHistory(previous, answer, 60).points).toHaveLength(1);
  });
});

describe("toTrafficPoint and totalsOf", () => {
  it("gives rates per second, error shares in % and sums", () => {
    const point = { ...sample(0, 20), clientErrors: 5, serverErrors: 1 };
    expect(toTrafficPoint(point)).toMatchObject({ rate: 2, clientErrorPct: 25, serverErrorPct: 5 });
    expect(toTrafficPoint({ ...sample(0, 3, true), seconds: 0.2 }).rate).toBe(3);
    expect(toTrafficPoint(sample(0, 0)).clientErrorPct).toBeNull();
    expect(totalsOf([point, point])).toEqual({ requests: 40, clientErrors: 10, serverErrors: 2 });
  });
});
