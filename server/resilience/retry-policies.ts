/**
 * The seed's two retry policies. Every outbound call uses one of them (which one is in
 * `dependencies.ts` and docs/operations/resilience.md); delays between attempts are drawn with
 * full jitter (`full-jitter.ts`).
 */
export const RETRY_POLICIES = {
  /** 3 attempts, 1 s → 30 s, ×2. */
  default: { attempts: 3, initialDelayMs: 1_000, maxDelayMs: 30_000, exponent: 2 },
  /** 5 attempts, 500 ms → 10 s, ×1.5. */
  critical: { attempts: 5, initialDelayMs: 500, maxDelayMs: 10_000, exponent: 1.5 },
} as const;

export type RetryPolicyName = keyof typeof RETRY_POLICIES;

export type RetryPolicy = {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The ceiling of the first delay; each later ceiling is `exponent` times the one before. */
  initialDelayMs: number;
  maxDelayMs: number;
  exponent: number;
};
