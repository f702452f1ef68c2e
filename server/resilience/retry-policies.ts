import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleAll,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from "cockatiel";

/** The seed's retry policies for outbound calls (Datapunk Stream, webhooks). */
export const RETRY_POLICIES = {
  /** 3 attempts, 1 s → 30 s, ×2. */
  default: { attempts: 3, initialDelayMs: 1_000, maxDelayMs: 30_000, exponent: 2 },
  /** 5 attempts, 500 ms → 10 s, ×1.5. */
  critical: { attempts: 5, initialDelayMs: 500, maxDelayMs: 10_000, exponent: 1.5 },
} as const;

export type RetryPolicyName = keyof typeof RETRY_POLICIES;

export type ResiliencePolicy = { policy: IPolicy; breaker: CircuitBreakerPolicy };

/**
 * Retries with backoff around a circuit breaker: five failed calls in a row open the circuit, and
 * while it is open calls fail at once (BrokenCircuitError, never retried) until a trial call after
 * `halfOpenAfterMs` succeeds.
 */
export function resiliencePolicy(
  name: RetryPolicyName,
  options: { halfOpenAfterMs?: number; consecutiveFailures?: number } = {},
): ResiliencePolicy {
  const settings = RETRY_POLICIES[name];
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: options.halfOpenAfterMs ?? 10_000,
    breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
  });
  const retrying = retry(
    handleWhen((error) => !(error instanceof BrokenCircuitError)),
    {
      // cockatiel counts retries, not attempts.
      maxAttempts: settings.attempts - 1,
      backoff: new ExponentialBackoff({
        initialDelay: settings.initialDelayMs,
        maxDelay: settings.maxDelayMs,
        exponent: settings.exponent,
      }),
    },
  );
  return { policy: wrap(retrying, breaker), breaker };
}
