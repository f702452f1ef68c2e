"use client";

import { memo } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import styles from "./live-charts.module.css";
import type { RatePoint } from "./rate-window";

const axisTick = { fontSize: 11 };
// Inline styles (unlike SVG attributes) take the console's CSS variables, so both schemes work.
const tooltipStyle = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  borderRadius: "var(--radius-sm)",
  fontSize: "var(--text-sm)",
};
const numberFormat = new Intl.NumberFormat("en");

/** 850 ms, 12.4 s, 3.2 min: lags span from milliseconds (live) to hours (a resumed backlog). */
export function formatLag(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const secondsAgo = (second: number) => (second === 0 ? "now" : `${second} s`);

/**
 * Events per second and their lag over the last minute, one point per complete second. Recharts
 * draws without animation: the data changes every second. The figures' captions say the latest
 * values in words, for readers who do not see the charts.
 */
export const LiveCharts = memo(function LiveCharts({ series }: { series: readonly RatePoint[] }) {
  const latest = series.at(-1);
  const lastLag = series.findLast((point) => point.storedLagMs !== null);
  const perMinute = series.reduce((sum, point) => sum + point.rate, 0);
  return (
    <div className={styles.charts}>
      <figure className={styles.figure} data-testid="live-rate-chart">
        <div className={styles.chart}>
          <ResponsiveContainer width="100%" height={180}>
            <AreaChart data={series} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" className={styles.gridLines} />
              <XAxis dataKey="second" tick={axisTick} tickFormatter={secondsAgo} interval={14} />
              <YAxis tick={axisTick} width={48} allowDecimals={false} />
              <Tooltip
                contentStyle={tooltipStyle}
                labelFormatter={(second) => `${Number(second)} s`}
                formatter={(value) => [`${numberFormat.format(Number(value))}/s`, "Events"]}
              />
              <Area
                type="monotone"
                dataKey="rate"
                name="Events/s"
                className={styles.rate}
                isAnimationActive={false}
              />
            </AreaChart>
          </ResponsiveContainer>
        </div>
        <figcaption className={styles.caption}>
          Events per second, last 60 s: {numberFormat.format(latest?.rate ?? 0)}/s in the last
          second, {numberFormat.format(perMinute)} in the minute.
        </figcaption>
      </figure>
      <figure className={styles.figure} data-testid="live-lag-chart">
        <div className={styles.chart}>
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={series} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" className={styles.gridLines} />
              <XAxis dataKey="second" tick={axisTick} tickFormatter={secondsAgo} interval={14} />
              <YAxis tick={axisTick} width={56} tickFormatter={(ms: number) => formatLag(ms)} />
              <Tooltip
                contentStyle={tooltipStyle}
                labelFormatter={(second) => `${Number(second)} s`}
                formatter={(value, name) => [formatLag(Number(value)), name]}
              />
              {/* Series order (stored, then event time), which the CSS module's colours rely on. */}
              <Legend
                itemSorter={null}
                formatter={(value: string) => <span className={styles.legendText}>{value}</span>}
              />
              <Line
                type="monotone"
                dataKey="storedLagMs"
                name="Since stored"
                className={styles.stored}
                dot={false}
                connectNulls={false}
                isAnimationActive={false}
              />
              <Line
                type="monotone"
                dataKey="eventLagMs"
                name="Since event time"
                className={styles.eventTime}
                dot={false}
                connectNulls={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <figcaption className={styles.caption}>
          Lag on arrival (average per second): {formatLag(lastLag?.storedLagMs ?? null)} since the
          Lake stored the events, {formatLag(lastLag?.eventLagMs ?? null)} since their event time.
        </figcaption>
      </figure>
    </div>
  );
});
