"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Banner } from "@/components/ui/banner";
import { Stat } from "@/components/ui/stat";
import type { Tone } from "@/components/ui/tone-icon";
import type { ReadinessReport } from "@/server/observability/readiness";

import { DatabaseCard } from "./database-card";
import { RedisCard } from "./redis-card";
import { formatClock, formatUptime } from "./status-format";
import styles from "./system-status.module.css";

const REFRESH_MS = 5_000;

const OVERALL: Record<ReadinessReport["status"], { tone: Tone; message: ReactNode }> = {
  ok: { tone: "success", message: <strong>All systems operational</strong> },
  degraded: {
    tone: "warning",
    message: (
      <>
        <strong>Degraded:</strong> Redis unreachable, running on in-process fallbacks
      </>
    ),
  },
  unavailable: {
    tone: "danger",
    message: (
      <>
        <strong>Unavailable:</strong> PostgreSQL unreachable
      </>
    ),
  },
};

/** Live health of this instance, polled from the same checks as GET /ready. */
export function SystemStatus() {
  const trpc = useTRPC();
  const { data, error, isPending, dataUpdatedAt } = useQuery({
    ...trpc.system.status.queryOptions(),
    refetchInterval: REFRESH_MS,
  });

  if (isPending) return <StatusSkeleton />;

  if (!data) {
    return (
      <Banner tone="danger" role="alert" data-testid="status-error">
        <strong>Could not load system status.</strong> {error?.message ?? "Unknown error"} —
        retrying every {REFRESH_MS / 1000} s.
      </Banner>
    );
  }

  const overall = OVERALL[data.status];
  return (
    <div className={styles.status}>
      <Banner
        tone={overall.tone}
        role="status"
        data-testid="status-overall"
        data-status={data.status}
      >
        {overall.message}
      </Banner>

      <div className={styles.grid}>
        <DatabaseCard check={data.checks.database} />
        <RedisCard check={data.checks.redis} />
        <dl className={styles.tiles}>
          <Stat label="Version" size="lg" className={styles.tile} testId="status-version">
            {data.version}
          </Stat>
          <Stat label="Uptime" size="lg" className={styles.tile} testId="status-uptime">
            <time dateTime={`PT${data.uptimeSeconds}S`}>{formatUptime(data.uptimeSeconds)}</time>
          </Stat>
        </dl>
      </div>

      <p className={styles.updated}>
        Updated{" "}
        <time dateTime={new Date(dataUpdatedAt).toISOString()}>{formatClock(dataUpdatedAt)}</time> ·
        refreshes every {REFRESH_MS / 1000} s
        {/* A failed refresh keeps the last good report on screen; say so rather than hide it. */}
        {error && <span className={styles.stale}> · last refresh failed: {error.message}</span>}
      </p>
    </div>
  );
}

function StatusSkeleton() {
  return (
    <div className={styles.status} aria-busy="true">
      <Banner tone="neutral" role="status">
        Checking…
      </Banner>
      <div className={styles.grid} aria-hidden="true">
        <div className={`${styles.skeleton} ${styles.skeletonCard}`} />
        <div className={`${styles.skeleton} ${styles.skeletonCard}`} />
        <div className={styles.tiles}>
          <div className={`${styles.skeleton} ${styles.skeletonTile}`} />
          <div className={`${styles.skeleton} ${styles.skeletonTile}`} />
        </div>
      </div>
    </div>
  );
}
