import { describe, expect, it } from "vitest";

import { backoffCeilingMs, fullJitterBackoff, reconnectDelayMs } from "./full-jitter";
import { RETRY_POLICIES } from "./retry-policies";

/** The delays a cockatiel backoff gives for its first `count` retries. */
function delays(backoff: ReturnType<typeof fullJitterBackoff>, count: number): number[] {
  const out: number[] = [];
  let step = backoff.next();
  for (let i = 0; i < count; i++) {
    out.push(step.duration);
    step = step.next(undefined);
  }
  return out;
}

/** A seeded generator (mulberry32): the same draws on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("full-jitter backoff with the seed's policies", () => {
  it("grows each ceiling by the policy's own exponent, up to its maximum", () => {
    const ceilings = (name: keyof typeof RETRY_POLICIES) =>
      Array.from({ length: 8 }, (_, retry) => backoffCeilingMs(RETRY_POLICIES[name], retry));
    expect(ceilings("default")).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    // ×1.5, not ×2 (cockatiel's own full-jitter generator would double it).
    expect(ceilings("critical")).toEqual([
      500, 750, 1125, 1687.5, 2531.25, 3796.875, 5695.3125, 8542.96875,
    ]);
    expect(backoffCeilingMs(RETRY_POLICIES.critical, 20)).toBe(10_000);
  });

  it("draws every delay in [0, ceiling): the extremes of the random number", () => {
    const policy = RETRY_POLICIES.default;
    expect(
      delays(
        fullJitterBackoff(policy, () => 0),
        4,
      ),
    ).toEqual([0, 0, 0, 0]);
    expect(
      delays(
        fullJitterBackoff(policy, () => 0.999_999),
        4,
      ),
    ).toEqual([999, 1999, 3999, 7999]);
    expect(
      delays(
        fullJitterBackoff(policy, () => 0.5),
        7,
      ),
    ).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
  });

  it("stays within bounds and spreads over the whole window with a seeded random", () => {
    for (const name of ["default", "critical"] as const) {
      const policy = RETRY_POLICIES[name];
      const random = seeded(42);
      const samples = Array.from({ length: 2_000 }, () =>
        delays(fullJitterBackoff(policy, random), policy.attempts - 1),
      );
      for (let retry = 0; retry < policy.attempts - 1; retry++) {
        const ceiling = backoffCeilingMs(policy, retry);
        const drawn = samples.map((sample) => sample[retry]!);
        expect(Math.min(...drawn)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...drawn)).toBeLessThan(ceiling);
        // Full jitter, not "equal" jitter: the low half of the window is used as much as the high.
        const mean = drawn.reduce((a, b) => a + b, 0) / drawn.length;
        expect(mean / ceiling).toBeGreaterThan(0.45);
        expect(mean / ceiling).toBeLessThan(0.55);
        expect(drawn.filter((d) => d < ceiling / 4).length / drawn.length).toBeGreaterThan(0.2);
      }
    }
  });

  it("gives reconnect delays from the same policy, held below a cap", () => {
    const top = () => 0.999_999;
    expect(
      [1, 2, 3, 4].map((attempt) => reconnectDelayMs("critical", attempt, { random: top })),
    ).toEqual([499, 749, 1124, 1687]);
    expect(reconnectDelayMs("critical", 50, { capMs: 5_000, random: top })).toBe(4999);
    expect(reconnectDelayMs("default", 50, { random: top })).toBe(29999);
  });
});
