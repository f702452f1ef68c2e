import { Card } from "@/components/ui/card";
import { StatusBadge } from "@/components/ui/status-badge";
import type { OptionalDependencyCheck, ReadinessChecks } from "@/server/observability/readiness";
import type { OptionalDependency } from "@/server/resilience/dependencies";

import styles from "./dependency-card.module.css";

const LABELS: Record<OptionalDependency, { name: string; unset: string }> = {
  stream: { name: "Datapunk Stream", unset: "STREAM_GRPC_URL not set: the log is not forwarded" },
  cortex: { name: "Cortex embeddings", unset: "CORTEX_URL not set: the built-in embedder is used" },
};

function breakerText(check: OptionalDependencyCheck): string | undefined {
  if (check.breaker === "open") {
    return check.retryAfterSeconds === undefined
      ? "Circuit open: calls fail fast"
      : `Circuit open: calls fail fast, trial call in ${check.retryAfterSeconds} s`;
  }
  if (check.breaker === "half-open") return "Circuit half-open: a trial call is running";
  if (check.breaker === "closed") return "Circuit closed";
  return undefined;
}

/** Stream and Cortex: not probed, judged by their circuit breakers (GET /ready lists the same). */
export function OptionalDependenciesCard({ checks }: { checks: ReadinessChecks }) {
  const kinds = Object.keys(LABELS) as OptionalDependency[];
  return (
    <Card title="Optional services">
      <ul className={styles.list}>
        {kinds.map((kind) => {
          const check = checks[kind];
          return (
            <li key={kind} className={styles.item}>
              <div className={styles.itemHeader}>
                <strong>{LABELS[kind].name}</strong>
                <StatusBadge status={check.status} data-testid={`status-${kind}`} />
              </div>
              <p className={styles.note}>
                {check.status === "not_configured" ? LABELS[kind].unset : breakerText(check)}
                {check.lagEvents !== undefined && ` · ${check.lagEvents} events behind`}
              </p>
              {check.error && <p className={styles.error}>{check.error}</p>}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
