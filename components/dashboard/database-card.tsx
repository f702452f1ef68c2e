import { Card } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { StatusBadge } from "@/components/ui/status-badge";
import type { PostgresCheck } from "@/server/observability/readiness";

import styles from "./dependency-card.module.css";
import { formatLatency } from "./status-format";

const MODE_LABELS: Record<PostgresCheck["mode"], string> = {
  embedded: "Embedded PostgreSQL (PGlite)",
  server: "PostgreSQL server",
};

export function DatabaseCard({ check }: { check: PostgresCheck }) {
  return (
    <Card
      title="Database"
      badge={<StatusBadge status={check.status} data-testid="status-database" />}
    >
      <dl className={styles.details}>
        <Stat label="Mode" testId="database-mode">
          {MODE_LABELS[check.mode]}
        </Stat>
        <Stat label="Latency">{formatLatency(check.latencyMs)}</Stat>
        {check.migrations && (
          <>
            <Stat label="Migrations applied" testId="migrations-applied">
              {check.migrations.applied}
            </Stat>
            <Stat label="Latest migration" className={styles.wide}>
              {check.migrations.latest ? (
                <code className={styles.migration}>{check.migrations.latest}</code>
              ) : (
                <span className={styles.none}>None yet</span>
              )}
            </Stat>
          </>
        )}
      </dl>
      {check.error && <p className={styles.error}>{check.error}</p>}
    </Card>
  );
}
