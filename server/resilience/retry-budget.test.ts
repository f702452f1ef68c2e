import { describe, expect, it } from "vitest";

import { createRetryBudget } from "./retry-budget";

describe("retry budget (gRPC retry throttling)", () => {
  it("allows retries while more than half the bucket is left", () => {
    const budget = createRetryBudget({ maxTokens: 10, tokenRatio: 0.1 });
    const allowed: boolean[] = [];
    for (let failure = 0; failure < 7; failure++) {
      budget.recordFailure();
      allowed.push(budget.allowsRetry());
    }
    // 9, 8, 7, 6 tokens: yes; 5 (exactly half), 4, 3: no.
    expect(allowed).toEqual([true, true, true, true, false, false, false]);
  });

  it("never goes below empty or above full, and refills by the ratio without drift", () => {
    const budget = createRetryBudget({ maxTokens: 10, tokenRatio: 0.1 });
    for (let i = 0; i < 50; i++) budget.recordFailure();
    expect(budget.tokens()).toBe(0);
    for (let i = 0; i < 60; i++) budget.recordSuccess();
    expect(budget.tokens()).toBe(6);
    expect(budget.allowsRetry()).toBe(true);
    for (let i = 0; i < 1_000; i++) budget.recordSuccess();
    expect(budget.tokens()).toBe(10);
  });
});
