/** What /ready, /metrics and the console show of a circuit breaker (circuit-breakers.ts). */
export type BreakerStateName = "closed" | "open" | "half-open";

export type BreakerSnapshot = {
  /** `cortex`, `stream`, `webhook:<id>`. */
  dependency: string;
  state: BreakerStateName;
  /** While open: how long until the breaker lets a trial call through. */
  retryAfterMs?: number;
  /** What is left of the dependency's retry budget (retries stop at half the bucket). */
  retryTokens: number;
};
