"use client";

import {
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
  type TooltipValueType,
} from "recharts";

import { hitLabel } from "./hit-label";
import styles from "./projection-chart.module.css";
import type { SearchOutcome } from "./vector-types";

type Point = { x: number; y: number; label: string; score: number | null; rank: number | null };

const axisTick = { fontSize: 11 };
const round = (value: number) => Math.round(value * 1000) / 1000;

function PointTooltip({ active, payload }: TooltipContentProps<TooltipValueType, string | number>) {
  const point = active ? (payload?.[0]?.payload as Point | undefined) : undefined;
  if (!point) return null;
  return (
    <div className={styles.tooltip}>
      <strong>{point.rank === null ? "Query" : `#${point.rank} ${point.label}`}</strong>
      {point.score !== null && <span>score {point.score.toFixed(4)}</span>}
    </div>
  );
}

/**
 * The results on the plane of their first two principal components (computed by the server),
 * with the query placed on the same plane. Nearby dots have similar embeddings; the axes have no
 * units of their own. The results table next to it carries the same information as text.
 */
export function ProjectionChart({ outcome }: { outcome: SearchOutcome }) {
  const byId = new Map(outcome.results.map((hit, index) => [hit.record.id, { hit, index }]));
  const results: Point[] = outcome.projection.points.flatMap((point) => {
    const found = byId.get(point.record_id);
    if (!found) return [];
    return [
      {
        x: round(point.x),
        y: round(point.y),
        label: hitLabel(found.hit),
        score: found.hit.score,
        rank: found.index + 1,
      },
    ];
  });
  const query: Point[] = outcome.projection.query
    ? [
        {
          x: round(outcome.projection.query.x),
          y: round(outcome.projection.query.y),
          label: "Query",
          score: null,
          rank: null,
        },
      ]
    : [];

  return (
    <figure className={styles.figure} data-testid="projection-chart">
      <div className={styles.chart}>
        <ResponsiveContainer width="100%" height={320}>
          <ScatterChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className={styles.grid} />
            <XAxis type="number" dataKey="x" name="PC 1" tick={axisTick} />
            <YAxis type="number" dataKey="y" name="PC 2" tick={axisTick} width={48} />
            <Tooltip content={PointTooltip} cursor={{ strokeDasharray: "3 3" }} />
            {/* Series order (results, then query), which the CSS module's legend colours rely on. */}
            <Legend itemSorter={null} />
            <Scatter
              name="Results"
              data={results}
              className={styles.results}
              isAnimationActive={false}
            />
            <Scatter
              name="Query"
              data={query}
              shape="star"
              legendType="star"
              className={styles.query}
              isAnimationActive={false}
            />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <figcaption className={styles.caption}>
        {results.length} results on their first two principal components (PCA on the server); the
        star is the query. Closer dots have more similar embeddings.
      </figcaption>
    </figure>
  );
}
