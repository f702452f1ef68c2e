export type RetryBudgetSettings = {
  /** The bucket's size; it starts full. */
  maxTokens: number;
  /** Given back by every successful attempt (a failed attempt costs a whole token). */
  tokenRatio: number;
};

export type RetryBudget = {
  recordSuccess(): void;
  recordFailure(): void;
  /** Retries are allowed only while more than half the bucket is left. */
  allowsRetry(): boolean;
  tokens(): number;
};

/**
 * gRPC's retry throttling (proposal A6), per dependency: every failed attempt takes a token,
 * every success gives back `tokenRatio`, and a failed call is retried only while the bucket is
 * more than half full. In a long outage each caller's retries stop after a few failures, so
 * retries cannot multiply the load on a dependency that is already down; once it answers again,
 * about ten successes per failure refill the bucket. Counted in thousandths, as gRPC does, so
 * adding 0.1 ten times makes exactly 1.
 */
export function createRetryBudget(settings: RetryBudgetSettings): RetryBudget {
  const max = Math.round(settings.maxTokens * 1000);
  const refund = Math.round(settings.tokenRatio * 1000);
  let milli = max;
  return {
    recordSuccess: () => {
      milli = Math.min(max, milli + refund);
    },
    recordFailure: () => {
      milli = Math.max(0, milli - 1000);
    },
    allowsRetry: () => milli > max / 2,
    tokens: () => milli / 1000,
  };
}
