import { type Env } from "../env";
import { type RetryBudgetSettings } from "./retry-budget";
import { type RetryPolicyName } from "./retry-policies";

export type BreakerSettings = {
  /** Failed attempts in a row (transient failures only) that open the circuit. */
  consecutiveFailures: number;
  /** How long an open circuit refuses calls before it lets one trial call through. */
  halfOpenAfterMs: number;
};

export type BulkheadSettings = { maxConcurrent: number; queue: number };

export type DependencySettings = {
  retry: RetryPolicyName;
  /** Per attempt, not per call. */
  timeoutMs: number;
  breaker: BreakerSettings;
  budget: RetryBudgetSettings;
  /** Calls at once, then a bounded queue; beyond it a call is refused at once (503). */
  bulkhead?: BulkheadSettings;
  /** Listed by /ready (non-critical) when set: whether this instance is configured to use it. */
  configured?: (config: Env) => boolean;
};

const BREAKER: BreakerSettings = { consecutiveFailures: 5, halfOpenAfterMs: 10_000 };
const BUDGET: RetryBudgetSettings = { maxTokens: 10, tokenRatio: 0.1 };

/**
 * Every outbound dependency and how it is called — docs/operations/resilience.md is this table.
 * Timeouts and the Stream policy can be changed by their settings (`CORTEX_TIMEOUT_MS`,
 * `LAKE_WEBHOOK_TIMEOUT_MS`, `STREAM_RETRY_POLICY`); these are the defaults. A new client (the
 * object store) is one more line here, and one `dependencyPolicy("<name>")` around its calls.
 */
export const DEPENDENCIES = {
  stream: {
    retry: "default",
    timeoutMs: 10_000,
    breaker: BREAKER,
    budget: BUDGET,
    configured: (config) => Boolean(config.STREAM_GRPC_URL),
  },
  cortex: {
    retry: "default",
    timeoutMs: 10_000,
    breaker: BREAKER,
    budget: BUDGET,
    // Embedding calls come from requests (text search) and jobs at once; more would only queue
    // inside Cortex while every waiting request holds its socket.
    bulkhead: { maxConcurrent: 32, queue: 256 },
    configured: (config) => Boolean(config.CORTEX_URL),
  },
  // One breaker and budget per webhook (`webhook:<id>`): one failing endpoint stops only itself.
  webhook: { retry: "critical", timeoutMs: 5_000, breaker: BREAKER, budget: BUDGET },
} satisfies Record<string, DependencySettings>;

export type DependencyKind = keyof typeof DEPENDENCIES;

/** The dependencies /ready lists after PostgreSQL and Redis, in this order. */
export type OptionalDependency = {
  [K in DependencyKind]: (typeof DEPENDENCIES)[K] extends { configured: unknown } ? K : never;
}[DependencyKind];

export const OPTIONAL_DEPENDENCIES = (Object.keys(DEPENDENCIES) as DependencyKind[]).filter(
  (kind): kind is OptionalDependency => "configured" in DEPENDENCIES[kind],
);
