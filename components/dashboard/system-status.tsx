"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Banner } from "@/components/ui/banner";
import { Stat } from "@/components/ui/stat";
import type { Tone } from "@/components/ui/tone-icon";
import type { ReadinessReport } from "@/server/observability/readiness";

import { DatabaseCard } from "./database-card";
import { OptionalDependenciesCard } from "./optional-dependencies-card";
import { RedisCard } from "./redis-card";
import { formatClock, formatUptime } from "./status-format";
import styles from "./system-status.module.css";

const REFRESH_MS = 5_000;

/** What a degraded instance is missing, in words: the non-critical dependencies that are down. */
function degradedBecause(checks: ReadinessReport["checks"]): string {
  const missing = [
    checks.redis.status === "down" && "Redis unreachable, running on in-process fallbacks",
    checks.stream.status === "down" && "Datapunk Stream's circuit open, the log waits for it",
    checks.cortex.status === "down" && "Cortex's circuit open, text embedding fails fast",
  ].filter(Boolean);
  return missing.join("; ");
}

const OVERALL: Record<
  ReadinessReport["status"],
  { tone: Tone; message: (report: ReadinessReport) => ReactNode }
> = {
  ok: { tone: "success", message: () => <strong>All systems operational</strong> },
  degraded: {
    tone: "warning",
    message: (report) => (
      <>
        <strong>Degraded:</strong> {degradedBecause(report.checks)}
      </>
    ),
  },
  draining: {
    tone: "warning",
    message: () => (
      <>
        <strong>Shutting down:</strong> finishing requests in flight, taking no new ones
      </>
    ),
  },
  unavailable: {
    tone: "danger",
    message: () => (
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
        {overall.message(data)}
      </Banner>

      <div className={styles.grid}>
        <DatabaseCard check={data.checks.postgres} />
        <RedisCard check={data.checks.redis} />
        <OptionalDependenciesCard checks={data.checks} />
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
        <div className={`${styles.skeleton} ${styles.skeletonCard}`} />
        <div className={styles.tiles}>
          <div className={`${styles.skeleton} ${styles.skeletonTile}`} />
          <div className={`${styles.skeleton} ${styles.skeletonTile}`} />
        </div>
      </div>
    </div>
  );
}
