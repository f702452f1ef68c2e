import { gaugeReadOnScrape } from "../observability/metrics";
import { type BreakerSnapshot, type BreakerStateName } from "./breaker-snapshot";

const STATES: BreakerStateName[] = ["closed", "open", "half-open"];

/**
 * Breaker states and retry budgets on /metrics, read when Prometheus scrapes. A state is one
 * series per state with 1 on the current one (OpenMetrics' StateSet), so
 * `circuit_breaker_state{state="open"} == 1` is an alert rule as it stands.
 */
export function registerResilienceMetrics(read: () => BreakerSnapshot[]): void {
  gaugeReadOnScrape(
    {
      name: "circuit_breaker_state",
      help: "1 for the state each outbound dependency's circuit breaker is in (closed, open, half-open).",
      labelNames: ["dependency", "state"] as const,
    },
    (gauge) => {
      for (const { dependency, state } of read()) {
        for (const each of STATES) gauge.set({ dependency, state: each }, each === state ? 1 : 0);
      }
    },
  );
  gaugeReadOnScrape(
    {
      name: "retry_budget_tokens",
      help: "Tokens left in each dependency's retry budget; retries stop at half the bucket.",
      labelNames: ["dependency"] as const,
    },
    (gauge) => {
      for (const { dependency, retryTokens } of read()) gauge.set({ dependency }, retryTokens);
    },
  );
}
