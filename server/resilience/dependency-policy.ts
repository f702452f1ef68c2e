import {
  BrokenCircuitError,
  bulkhead as bulkheadPolicy,
  BulkheadRejectedError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from "cockatiel";

import { AppError } from "../errors/app-error";
import { CircuitOpenError } from "./circuit-open-error";
import { type BreakerSnapshot, type BreakerStateName, registerBreaker } from "./circuit-breakers";
import {
  DEPENDENCIES,
  type BreakerSettings,
  type BulkheadSettings,
  type DependencyKind,
  type DependencySettings,
} from "./dependencies";
import { fullJitterBackoff } from "./full-jitter";
import { createRetryBudget, type RetryBudgetSettings } from "./retry-budget";
import { RETRY_POLICIES, type RetryPolicy, type RetryPolicyName } from "./retry-policies";

export type DependencyPolicyOptions = {
  /** The breaker's name in /ready and /metrics: the kind unless given (`webhook:<id>`). */
  name?: string;
  /** How errors name it ("Datapunk Stream"); the name unless given. */
  label?: string;
  /** The kind's policy unless given: a seed policy by name, or its numbers (tests). */
  retry?: RetryPolicyName | RetryPolicy;
  timeoutMs?: number;
  breaker?: Partial<BreakerSettings>;
  budget?: Partial<RetryBudgetSettings>;
  /** The kind's bulkhead unless given; false: none. */
  bulkhead?: BulkheadSettings | false;
  /**
   * Failures that say the dependency is unwell (a timeout, no connection, a 5xx): only these are
   * retried and counted by the breaker and the budget. Others (a 4xx: the request's own fault)
   * are thrown at once. Default: every failure.
   */
  isTransient?: (error: Error) => boolean;
  /** Drawn for the jitter (tests). */
  random?: () => number;
};

export type AttemptContext = {
  /** Aborted when the attempt's time is up: the call must give up when it is (fetch does). */
  signal: AbortSignal;
  /** 0 for the first attempt. */
  attempt: number;
};

export type DependencyPolicy = {
  readonly name: string;
  /**
   * Runs `call` under the dependency's policy. Rejects with what the last attempt threw (a
   * timeout as cockatiel's TaskCancelledError), or at once with a CircuitOpenError (503 with
   * Retry-After) while the circuit is open, or a 503 when the bulkhead's queue is full.
   */
  execute<T>(call: (context: AttemptContext) => Promise<T>): Promise<T>;
  snapshot(): BreakerSnapshot;
  onStateChange(listener: (state: BreakerStateName) => void): { dispose(): void };
  /** Takes its breaker off /ready and /metrics. */
  dispose(): void;
};

const STATE_NAMES: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half-open",
  [CircuitState.Isolated]: "open",
};

/**
 * One dependency's calls, all in one place (docs/operations/resilience.md): from the outside in,
 * a bulkhead (calls at once), retries with full-jitter backoff within the seed policy's attempts
 * and the dependency's retry budget, a circuit breaker that fails fast after consecutive
 * failures, and a per-attempt timeout. The breaker sits inside the retries, so every attempt
 * counts, and an attempt that finds it open ends the call at once instead of sleeping on.
 */
export function dependencyPolicy(
  kind: DependencyKind,
  options: DependencyPolicyOptions = {},
): DependencyPolicy {
  const defaults: DependencySettings = DEPENDENCIES[kind];
  const name = options.name ?? kind;
  const label = options.label ?? name;
  const policy =
    typeof options.retry === "object"
      ? options.retry
      : RETRY_POLICIES[options.retry ?? defaults.retry];
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const breakerSettings = { ...defaults.breaker, ...options.breaker };
  const budget = createRetryBudget({ ...defaults.budget, ...options.budget });
  const isTransient = options.isTransient ?? (() => true);
  const limits = options.bulkhead === false ? undefined : (options.bulkhead ?? defaults.bulkhead);

  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: breakerSettings.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(breakerSettings.consecutiveFailures),
  });
  let openedAt = 0;
  breaker.onBreak(() => {
    openedAt = Date.now();
  });
  const retrying = retry(
    handleWhen(
      (error) =>
        !(error instanceof BrokenCircuitError) && isTransient(error) && budget.allowsRetry(),
    ),
    // cockatiel counts retries, not attempts.
    { maxAttempts: policy.attempts - 1, backoff: fullJitterBackoff(policy, options.random) },
  );
  // Cooperative: the attempt ends itself through its signal, so whatever it does on the way out
  // (a webhook logs the attempt) is done before the next attempt starts.
  const perAttempt = timeout(timeoutMs, {
    strategy: TimeoutStrategy.Cooperative,
    abortOnReturn: true,
  });
  const calls = wrap(retrying, breaker, perAttempt);
  const bulkhead = limits ? bulkheadPolicy(limits.maxConcurrent, limits.queue) : undefined;

  const retryAfterMs = () =>
    breaker.state === CircuitState.Open
      ? Math.max(0, openedAt + breakerSettings.halfOpenAfterMs - Date.now())
      : undefined;
  const snapshot = (): BreakerSnapshot => ({
    dependency: name,
    state: STATE_NAMES[breaker.state],
    ...(breaker.state === CircuitState.Open ? { retryAfterMs: retryAfterMs() } : {}),
    retryTokens: budget.tokens(),
  });
  const unregister = registerBreaker(name, snapshot);

  async function attempt<T>(
    call: (context: AttemptContext) => Promise<T>,
    context: AttemptContext,
  ): Promise<T> {
    try {
      const result = await call(context);
      budget.recordSuccess();
      return result;
    } catch (thrown) {
      const error =
        context.signal.aborted && !(thrown instanceof TaskCancelledError)
          ? new TaskCancelledError(`no answer within ${timeoutMs} ms`)
          : (thrown as Error);
      if (isTransient(error)) budget.recordFailure();
      throw error;
    }
  }

  return {
    name,
    async execute(call) {
      const run = () => calls.execute((context) => attempt(call, context));
      try {
        return await (bulkhead ? bulkhead.execute(run) : run());
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw new CircuitOpenError(name, retryAfterMs() ?? 0, label);
        }
        if (error instanceof BulkheadRejectedError) {
          throw new AppError(
            "service_unavailable",
            `Too many calls to ${label} are waiting; try again shortly.`,
            { dependency: name, max_concurrent: limits?.maxConcurrent, queue: limits?.queue },
            { "Retry-After": "1" },
          );
        }
        throw error;
      }
    },
    snapshot,
    onStateChange: (listener) => breaker.onStateChange((state) => listener(STATE_NAMES[state])),
    dispose: unregister,
  };
}
