import { Card } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { StatusBadge } from "@/components/ui/status-badge";
import type { RedisCheck } from "@/server/observability/readiness";

import styles from "./dependency-card.module.css";
import { formatLatency } from "./status-format";

export function RedisCard({ check }: { check: RedisCheck }) {
  return (
    <Card title="Redis" badge={<StatusBadge status={check.status} data-testid="status-redis" />}>
      {check.status === "not_configured" && (
        <p className={styles.note}>
          Not configured — using in-process cache, rate limits, pub/sub and queue
        </p>
      )}
      {check.status === "up" && (
        <dl className={styles.details}>
          <Stat label="Latency">
            {check.latencyMs === undefined ? "—" : formatLatency(check.latencyMs)}
          </Stat>
          <Stat label="Serves">Cache, rate limits, pub/sub and queue</Stat>
        </dl>
      )}
      {check.status === "down" && (
        <>
          <p className={styles.error}>{check.error ?? "Unreachable"}</p>
          <p className={styles.note}>
            Running on in-process fallbacks for cache, rate limits, pub/sub and queue.
          </p>
        </>
      )}
    </Card>
  );
}
