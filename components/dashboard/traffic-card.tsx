"use client";

import { useState } from "react";

import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { Skeleton } from "@/components/ui/skeleton";
import { Table } from "@/components/ui/table";
import type { RequestSampleView } from "@/server/overview/overview.schemas";

import { toTrafficPoint, totalsOf } from "./request-history-merge";
import { TrafficCharts } from "./traffic-charts";
import { formatCount, formatInstant, formatMs, formatRate } from "./traffic-format";
import styles from "./traffic.module.css";
import { TRAFFIC_REFRESH_MS, useRequestHistory } from "./use-request-history";

const WINDOWS = [
  { value: "900", label: "15 min" },
  { value: "3600", label: "1 h" },
  { value: "21600", label: "6 h" },
] as const;
type WindowValue = (typeof WINDOWS)[number]["value"];
const TABLE_ROWS = 12;

/**
 * This instance's API traffic: rate, latency and errors over the chosen window, from its own
 * in-memory history (server/observability/request-history.ts), refreshed every few seconds.
 * The data attributes let tests watch the totals move.
 */
export function TrafficCard() {
  const [range, setRange] = useState<WindowValue>("900");
  const windowLabel = WINDOWS.find((option) => option.value === range)!.label;
  const { data, error, isPending } = useRequestHistory(Number(range));
  const points = data?.points ?? [];
  const totals = totalsOf(points);
  const latestComplete = points.findLast((point) => !point.partial);

  return (
    <Card
      title="API traffic"
      data-testid="traffic-card"
      data-points={points.length}
      data-total-requests={totals.requests}
      data-total-client-errors={totals.clientErrors}
      data-total-server-errors={totals.serverErrors}
      aria-busy={isPending}
    >
      <div className={styles.toolbar}>
        <SegmentedControl
          label="Window"
          options={WINDOWS}
          value={range}
          onChange={setRange}
          data-testid="traffic-window"
        />
        {data && (
          <p className={styles.totals} data-testid="traffic-totals">
            {formatCount(totals.requests)} requests · {formatCount(totals.clientErrors)} 4xx ·{" "}
            {formatCount(totals.serverErrors)} 5xx in the last {windowLabel}, one point per{" "}
            {data.intervalSeconds} s
          </p>
        )}
      </div>

      {isPending ? (
        <div className={styles.skeletons}>
          <span className="sr-only">Loading traffic…</span>
          <Skeleton height={220} />
          <Skeleton height={220} />
          <Skeleton height={220} />
        </div>
      ) : !data ? (
        <p className={styles.stale} role="alert">
          Could not load the traffic history: {error?.message ?? "unknown error"}. Retrying every{" "}
          {TRAFFIC_REFRESH_MS / 1000} s.
        </p>
      ) : totals.requests === 0 ? (
        <EmptyState
          title={`No API requests in the last ${windowLabel}`}
          description="Requests to /api/v1/lake (REST, GraphQL, imports, streams) appear here within seconds. Health checks and metric scrapes are not counted, nor is the console itself."
        />
      ) : (
        <>
          <TrafficCharts
            samples={points}
            latest={latestComplete && toTrafficPoint(latestComplete)}
            domain={[data.now - Number(range) * 1000, points.at(-1)?.t ?? data.now]}
          />
          <SamplesTable points={points} />
        </>
      )}
      {data && error && <p className={styles.stale}>The last refresh failed: {error.message}</p>}
    </Card>
  );
}

/** The charts' text alternative: the most recent samples, newest first. */
function SamplesTable({ points }: { points: RequestSampleView[] }) {
  const recent = points.slice(-TABLE_ROWS).reverse();
  return (
    <details className={styles.details}>
      <summary>Recent samples as a table</summary>
      <Table caption="Requests, latency and errors per sample interval, newest first">
        <thead>
          <tr>
            <th scope="col">Interval from</th>
            <th scope="col" className={styles.numeric}>
              Requests
            </th>
            <th scope="col" className={styles.numeric}>
              Rate
            </th>
            <th scope="col" className={styles.numeric}>
              p50
            </th>
            <th scope="col" className={styles.numeric}>
              p95
            </th>
            <th scope="col" className={styles.numeric}>
              p99
            </th>
            <th scope="col" className={styles.numeric}>
              4xx
            </th>
            <th scope="col" className={styles.numeric}>
              5xx
            </th>
          </tr>
        </thead>
        <tbody>
          {recent.map((point) => (
            <tr key={point.t}>
              <td>
                <time dateTime={new Date(point.t).toISOString()}>{formatInstant(point.t)}</time>
                {point.partial && " (so far)"}
              </td>
              <td className={styles.numeric}>{formatCount(point.requests)}</td>
              <td className={styles.numeric}>{formatRate(toTrafficPoint(point).rate)}</td>
              <td className={styles.numeric}>{formatMs(point.p50Ms)}</td>
              <td className={styles.numeric}>{formatMs(point.p95Ms)}</td>
              <td className={styles.numeric}>{formatMs(point.p99Ms)}</td>
              <td className={styles.numeric}>{formatCount(point.clientErrors)}</td>
              <td className={styles.numeric}>{formatCount(point.serverErrors)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </details>
  );
}
