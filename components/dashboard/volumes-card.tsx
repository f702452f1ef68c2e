"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { useTRPC } from "@/components/providers/trpc";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Stat } from "@/components/ui/stat";

import { formatCompact, formatCount } from "./traffic-format";
import styles from "./overview.module.css";
import chartStyles from "./traffic.module.css";

/** Counts change slowly, and the record count can be a real query: every 30 s is enough. */
const REFRESH_MS = 30_000;
const axisTick = { fontSize: 11 };
const tooltipStyle = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  borderRadius: "var(--radius-sm)",
  fontSize: "var(--text-sm)",
};
const dayFormat = new Intl.DateTimeFormat("en", {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});
const formatDay = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));

/** How much the Lake holds, and imports per day for two weeks (server/overview/get-data-volumes.ts). */
export function VolumesCard() {
  const trpc = useTRPC();
  const { data, error, isPending } = useQuery({
    ...trpc.overview.volumes.queryOptions(),
    refetchInterval: REFRESH_MS,
  });

  if (isPending) {
    return (
      <Card title="Data" aria-busy="true">
        <span className="sr-only">Loading data volumes…</span>
        <Skeleton height="3.5rem" />
        <Skeleton height={140} />
      </Card>
    );
  }
  if (!data) {
    return (
      <Card title="Data">
        <p className={styles.error} role="alert">
          {error?.data?.error_code === "forbidden"
            ? "Data volumes need the read permission."
            : `Could not load data volumes: ${error?.message ?? "unknown error"}.`}
        </p>
      </Card>
    );
  }

  const { records, imports } = data;
  const started = imports.days.reduce((sum, day) => sum + day.started, 0);
  const failed = imports.days.reduce((sum, day) => sum + day.failed, 0);
  const rowsLoaded = imports.days.reduce((sum, day) => sum + day.rowsLoaded, 0);
  const busiest = imports.days.reduce((best, day) => (day.started > best.started ? day : best));
  const recordsTitle =
    records.method === "estimate"
      ? `About ${formatCount(records.count)}: PostgreSQL's estimate for a large table, archived records included`
      : `${formatCount(records.count)} records${records.scope === "visible" ? " you can see" : ""}`;

  return (
    <Card title="Data" data-testid="volumes-card">
      <dl className={styles.stats}>
        <Stat label="Datasets" size="lg" testId="volume-datasets">
          <Link href="/data">{formatCount(data.datasets)}</Link>
        </Stat>
        <Stat
          label={records.scope === "visible" ? "Records you can see" : "Records"}
          size="lg"
          testId="volume-records"
        >
          <span title={recordsTitle}>
            {records.method === "estimate" && "≈ "}
            {formatCompact(records.count)}
          </span>
        </Stat>
        <Stat
          label={imports.scope === "own" ? "Your imports, 14 days" : "Imports, 14 days"}
          size="lg"
          testId="volume-imports"
        >
          <Link href="/imports">{formatCount(started)}</Link>
        </Stat>
      </dl>

      {started === 0 ? (
        <p className={styles.muted}>
          No imports in the last 14 days. <Link href="/imports">Import a file</Link> to load records
          in bulk.
        </p>
      ) : (
        <figure className={chartStyles.figure} data-testid="imports-chart">
          <h3 className={chartStyles.chartTitle}>Imports per day (UTC)</h3>
          <div className={styles.barChart}>
            <ResponsiveContainer width="100%" height={140}>
              <BarChart data={imports.days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid
                  strokeDasharray="3 3"
                  vertical={false}
                  className={chartStyles.gridLines}
                />
                <XAxis dataKey="day" tick={axisTick} tickFormatter={formatDay} minTickGap={16} />
                <YAxis tick={axisTick} width={32} allowDecimals={false} />
                <Tooltip
                  contentStyle={tooltipStyle}
                  labelFormatter={(day) => (typeof day === "string" ? formatDay(day) : "")}
                  formatter={(value) => [formatCount(Number(value)), "Imports"]}
                  cursor={{ fillOpacity: 0.1 }}
                />
                <Bar
                  dataKey="started"
                  name="Imports"
                  className={styles.bar}
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <figcaption className={chartStyles.caption}>
            {formatCount(started)} imports in 14 days ({formatCount(failed)} failed),{" "}
            {formatCount(rowsLoaded)} rows loaded; busiest day {formatDay(busiest.day)} with{" "}
            {formatCount(busiest.started)}.
          </figcaption>
        </figure>
      )}
    </Card>
  );
}
