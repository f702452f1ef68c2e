import { describe, expect, it } from "vitest";

import { createMemorySlidingWindow } from "./sliding-window-memory";

/** A clock the test moves by hand (lru-cache ignores TTLs started at 0, hence the offset). */
function fakeClock() {
  let now = 1_000_000;
  return {
    now: () => now,
    advance: (ms: number) => void (now += ms),
  };
}

describe("in-process sliding window", () => {
  it("counts a request for exactly the window's length", () => {
    const clock = fakeClock();
    const window = createMemorySlidingWindow({ limit: 1, windowMs: 1_000, now: clock.now });
    expect(window.consume("k", 1)).toEqual({
      allowed: true,
      limit: 1,
      remaining: 0,
      resetMs: 1_000,
    });
    clock.advance(999);
    expect(window.consume("k", 1)).toEqual({
      allowed: false,
      limit: 1,
      remaining: 0,
      resetMs: 1,
    });
    clock.advance(1);
    expect(window.consume("k", 1).allowed).toBe(true);
  });

  it("lets no more than the limit through across a fixed window's boundary", () => {
    const clock = fakeClock();
    const window = createMemorySlidingWindow({ limit: 4, windowMs: 1_000, now: clock.now });
    clock.advance(900);
    for (let i = 0; i < 4; i++) expect(window.consume("k", 1).allowed).toBe(true);
    clock.advance(200); // a fixed window would start afresh here
    expect(window.consume("k", 1)).toMatchObject({ allowed: false, resetMs: 800 });
    clock.advance(800);
    expect(window.consume("k", 4)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("tells a rejected request when enough entries will have left for its cost", () => {
    const clock = fakeClock();
    const window = createMemorySlidingWindow({ limit: 4, windowMs: 1_000, now: clock.now });
    for (let i = 0; i < 4; i++) {
      window.consume("k", 1);
      clock.advance(100);
    }
    // Entries at 0, 100, 200, 300; now 400. Two must leave for 2 points: the one at 100.
    expect(window.consume("k", 2)).toEqual({
      allowed: false,
      limit: 4,
      remaining: 0,
      resetMs: 700,
    });
    // More than the limit never fits: the time until the log is empty.
    expect(window.consume("k", 5)).toMatchObject({ allowed: false, resetMs: 900 });
    expect(window.consume("fresh", 5)).toMatchObject({ allowed: false, remaining: 4, resetMs: 0 });
    clock.advance(700);
    expect(window.consume("k", 2)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("does not log rejected requests", () => {
    const clock = fakeClock();
    const window = createMemorySlidingWindow({ limit: 2, windowMs: 1_000, now: clock.now });
    window.consume("k", 2);
    for (let i = 0; i < 9; i++) {
      clock.advance(100);
      expect(window.consume("k", 1)).toMatchObject({ allowed: false, resetMs: 900 - i * 100 });
    }
    clock.advance(100);
    expect(window.consume("k", 2)).toMatchObject({ allowed: true });
  });

  it("forgets the least recently used keys past its bounds", () => {
    const clock = fakeClock();
    const byKeys = createMemorySlidingWindow({
      limit: 1,
      windowMs: 60_000,
      maxKeys: 2,
      now: clock.now,
    });
    for (const key of ["a", "b"]) byKeys.consume(key, 1);
    expect(byKeys.consume("a", 1).allowed).toBe(false); // a is now the most recent
    byKeys.consume("c", 1); // evicts b
    expect(byKeys.consume("a", 1).allowed).toBe(false);
    expect(byKeys.consume("b", 1).allowed).toBe(true);

    const byEntries = createMemorySlidingWindow({
      limit: 3,
      windowMs: 60_000,
      maxEntries: 4,
      now: clock.now,
    });
    byEntries.consume("a", 3);
    byEntries.consume("b", 3); // 6 timestamps > 4: a goes
    expect(byEntries.consume("a", 3).allowed).toBe(true);
  });
});
