import { Gauge } from "prom-client";

import { metrics, SERVICE } from "../observability/metrics";
import { type BreakerSnapshot, type BreakerStateName } from "./breaker-snapshot";

const STATES: BreakerStateName[] = ["closed", "open", "half-open"];

/**
 * Breaker states and retry budgets on /metrics, read when Prometheus scrapes. A state is one
 * series per state with 1 on the current one (OpenMetrics' StateSet), so
 * `circuit_breaker_state{state="open"} == 1` is an alert rule as it stands.
 */
export function registerResilienceMetrics(read: () => BreakerSnapshot[]): void {
  const { registry } = metrics();
  if (registry.getSingleMetric("circuit_breaker_state")) return;
  new Gauge({
    name: "circuit_breaker_state",
    help: "1 for the state each outbound dependency's circuit breaker is in (closed, open, half-open).",
    labelNames: ["service", "dependency", "state"] as const,
    registers: [registry],
    collect() {
      // Dependencies that went away (a deleted webhook) lose their series.
      this.reset();
      for (const { dependency, state } of read()) {
        for (const each of STATES) {
          this.set({ service: SERVICE, dependency, state: each }, each === state ? 1 : 0);
        }
      }
    },
  });
  new Gauge({
    name: "retry_budget_tokens",
    help: "Tokens left in each dependency's retry budget; retries stop at half the bucket.",
    labelNames: ["service", "dependency"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { dependency, retryTokens } of read()) {
        this.set({ service: SERVICE, dependency }, retryTokens);
      }
    },
  });
}
