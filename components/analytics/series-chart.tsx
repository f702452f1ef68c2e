"use client";

import { memo } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import type { WindowSeries } from "./realtime-types";
import styles from "./analytics-console.module.css";
import { seriesLabel } from "./series-csv";

const COLORS = [
  "#2563eb",
  "#dc2626",
  "#059669",
  "#d97706",
  "#7c3aed",
  "#0891b2",
  "#db2777",
  "#65a30d",
];
const axisTick = { fontSize: 11 };
const tooltipStyle = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  borderRadius: "var(--radius-sm)",
  fontSize: "var(--text-sm)",
};
const time = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/**
 * One line per group (at most eight; the table holds them all). Without animation: a closing
 * window redraws it. The caption says in words what the newest points are.
 */
export const SeriesChart = memo(function SeriesChart({ data }: { data: WindowSeries }) {
  const shown = data.series.slice(0, COLORS.length);
  const times = [...new Set(shown.flatMap((s) => s.points.map((p) => p.t)))].sort();
  const rows = times.map((t) => {
    const row: Record<string, number | string | null> = { t: Date.parse(t) };
    shown.forEach((series, i) => {
      row[`s${i}`] = series.points.find((point) => point.t === t)?.value ?? null;
    });
    return row;
  });
  const newest = shown
    .map((series) => `${seriesLabel(series.group)}: ${series.points.at(-1)?.value ?? "—"}`)
    .join("; ");
  return (
    <figure data-testid="series-chart" data-points={rows.length}>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis
            dataKey="t"
            type="number"
            domain={["dataMin", "dataMax"]}
            scale="time"
            tick={axisTick}
            tickFormatter={(value: number) => time.format(value)}
          />
          <YAxis tick={axisTick} width={56} />
          <Tooltip
            contentStyle={tooltipStyle}
            labelFormatter={(value) => time.format(Number(value))}
          />
          <Legend />
          {shown.map((series, i) => (
            <Line
              key={i}
              dataKey={`s${i}`}
              name={seriesLabel(series.group)}
              stroke={COLORS[i]}
              dot={rows.length < 40}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
      <figcaption className={styles.caption}>
        {data.function} per {data.step_seconds} s; newest: {newest || "no windows yet"}.
      </figcaption>
    </figure>
  );
});
