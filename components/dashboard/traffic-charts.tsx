"use client";

import { memo, type ReactNode } from "react";
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

import { toTrafficPoint, type TrafficPoint } from "./request-history-merge";
import {
  formatInstant,
  formatMs,
  formatPercent,
  formatRate,
  formatTick,
  timeTicks,
} from "./traffic-format";
import styles from "./traffic.module.css";

const HEIGHT = 180;
const axisTick = { fontSize: 11 };
// Inline styles (unlike SVG attributes) take the console's CSS variables, so both schemes work.
const tooltipStyle = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  borderRadius: "var(--radius-sm)",
  fontSize: "var(--text-sm)",
};
const margin = { top: 8, right: 12, bottom: 0, left: 0 };

type Series = { key: keyof TrafficPoint; name: string; className: string };

const LATENCY: Series[] = [
  { key: "p50", name: "p50", className: styles.p50! },
  { key: "p95", name: "p95", className: styles.p95! },
  { key: "p99", name: "p99", className: styles.p99! },
];
const ERRORS: Series[] = [
  { key: "clientErrorPct", name: "4xx", className: styles.clientErrors! },
  { key: "serverErrorPct", name: "5xx", className: styles.serverErrors! },
];

/** The legend as HTML: readable, wraps on a phone, and its swatches share the lines' classes. */
function SeriesLegend({ series }: { series: Series[] }) {
  return (
    <ul className={styles.legend}>
      {series.map((item) => (
        <li key={item.key}>
          <svg width="18" height="8" aria-hidden="true" className={item.className}>
            <path d="M1 4h16" />
          </svg>
          {item.name}
        </li>
      ))}
    </ul>
  );
}

function ChartFigure(props: {
  title: string;
  testId: string;
  caption: ReactNode;
  legend?: ReactNode;
  children: ReactNode;
}) {
  return (
    <figure className={styles.figure} data-testid={props.testId}>
      <h3 className={styles.chartTitle}>{props.title}</h3>
      {props.legend}
      <div className={styles.chart}>{props.children}</div>
      <figcaption className={styles.caption}>{props.caption}</figcaption>
    </figure>
  );
}

/** The whole window, even while the history is younger: the curve enters from the right. */
function xAxis(domain: [number, number]) {
  return (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={domain}
      ticks={timeTicks(domain)}
      allowDataOverflow
      tick={axisTick}
      tickFormatter={formatTick}
      minTickGap={24}
    />
  );
}

const tooltipLabel = (t: unknown) => formatInstant(Number(t));

/** Several series over time as lines, one per entry of `series`; gaps where a value is null. */
function SeriesLineChart(props: {
  data: TrafficPoint[];
  domain: [number, number];
  series: Series[];
  yAxisWidth: number;
  yDomain?: [number, (max: number) => number];
  /** The axis's ticks; `format` when unset. */
  tickFormat?: (value: number) => string;
  format: (value: number) => string;
}) {
  return (
    <ResponsiveContainer width="100%" height={HEIGHT}>
      <LineChart data={props.data} margin={margin}>
        <CartesianGrid strokeDasharray="3 3" className={styles.gridLines} />
        {xAxis(props.domain)}
        <YAxis
          tick={axisTick}
          width={props.yAxisWidth}
          domain={props.yDomain}
          tickFormatter={props.tickFormat ?? props.format}
        />
        <Tooltip
          contentStyle={tooltipStyle}
          labelFormatter={tooltipLabel}
          formatter={(value, name) => [props.format(Number(value)), name]}
        />
        {props.series.map((series) => (
          <Line
            key={series.key}
            type="monotone"
            dataKey={series.key}
            name={series.name}
            className={series.className}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

/**
 * Request rate, latency quantiles and error shares, one point per sample interval, the newest
 * (still open) last. Drawn without animation: the data changes every few seconds. Each caption
 * says the latest figures in words, for readers who do not see the charts; the card's table has
 * the recent samples.
 */
export const TrafficCharts = memo(function TrafficCharts({
  samples,
  latest,
  domain,
}: {
  samples: Parameters<typeof toTrafficPoint>[0][];
  /** The time axis: the window's start to the newest point, epoch ms. */
  domain: [number, number];
  /** The newest complete interval's figures, for the captions. */
  latest: TrafficPoint | undefined;
}) {
  const data = samples.map(toTrafficPoint);
  const now = data.at(-1);
  return (
    <div className={styles.charts}>
      <ChartFigure
        title="Requests per second"
        testId="requests-chart"
        caption={<>Now: {formatRate(now?.rate ?? 0)} (the interval so far).</>}
      >
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <AreaChart data={data} margin={margin}>
            <CartesianGrid strokeDasharray="3 3" className={styles.gridLines} />
            {xAxis(domain)}
            <YAxis tick={axisTick} width={48} tickFormatter={(v: number) => formatRate(v)} />
            <Tooltip
              contentStyle={tooltipStyle}
              labelFormatter={tooltipLabel}
              formatter={(value) => [formatRate(Number(value)), "Requests"]}
            />
            <Area
              type="monotone"
              dataKey="rate"
              name="Requests/s"
              className={styles.rate}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </ChartFigure>

      <ChartFigure
        title="Latency"
        testId="latency-chart"
        legend={<SeriesLegend series={LATENCY} />}
        caption={
          <>
            Last complete interval: p50 {formatMs(latest?.p50 ?? null)}, p95{" "}
            {formatMs(latest?.p95 ?? null)}, p99 {formatMs(latest?.p99 ?? null)}.
          </>
        }
      >
        <SeriesLineChart
          data={data}
          domain={domain}
          series={LATENCY}
          yAxisWidth={56}
          format={formatMs}
        />
      </ChartFigure>

      <ChartFigure
        title="Error rate"
        testId="errors-chart"
        legend={<SeriesLegend series={ERRORS} />}
        caption={
          <>
            Last complete interval: {formatPercent(latest?.clientErrorPct ?? null)} 4xx,{" "}
            {formatPercent(latest?.serverErrorPct ?? null)} 5xx of requests.
          </>
        }
      >
        <SeriesLineChart
          data={data}
          domain={domain}
          series={ERRORS}
          yAxisWidth={48}
          yDomain={[0, (max: number) => Math.max(5, Math.ceil(max))]}
          tickFormat={(v) => `${v} %`}
          format={formatPercent}
        />
      </ChartFigure>
    </div>
  );
});
