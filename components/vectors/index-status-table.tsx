import { Badge } from "@/components/ui/badge";
import { DateTime } from "@/components/ui/date-time";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Table } from "@/components/ui/table";
import type { Tone } from "@/components/ui/tone-icon";

import styles from "./index-status-table.module.css";
import { metricLabel, type IndexStatus } from "./vector-types";

const STATUS: Record<IndexStatus["status"], { tone: Tone; label: string }> = {
  pending: { tone: "neutral", label: "Pending" },
  building: { tone: "active", label: "Building" },
  ready: { tone: "success", label: "Ready" },
  failed: { tone: "danger", label: "Failed" },
};

const BYTE_UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

function formatParams(params: Record<string, unknown>): string {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined);
  return entries.length === 0
    ? "—"
    : entries.map(([key, value]) => `${key} ${String(value)}`).join(", ");
}

function progressOf(index: IndexStatus): { phase: string; done: number; total: number } {
  const { phase, done, total } = index.progress;
  return {
    phase: typeof phase === "string" ? phase : "starting",
    done: typeof done === "number" ? done : 0,
    total: typeof total === "number" ? total : 0,
  };
}

function StatusCell({ index }: { index: IndexStatus }) {
  const status = STATUS[index.status];
  const name = `${index.type} · ${metricLabel(index.metric)}`;
  if (index.status === "building") {
    const progress = progressOf(index);
    const known = progress.total > 0;
    return (
      <div className={styles.building}>
        <Badge tone={status.tone}>{status.label}</Badge>
        <ProgressBar
          label={`Build of ${name}`}
          value={known ? progress.done : null}
          max={known ? progress.total : 100}
          valueText={
            known ? `${progress.phase}: ${progress.done} of ${progress.total}` : progress.phase
          }
        />
        <span className={styles.phase}>
          {progress.phase}
          {known && ` ${progress.done}/${progress.total}`}
        </span>
      </div>
    );
  }
  return (
    <div className={styles.building}>
      <Badge tone={status.tone}>{status.label}</Badge>
      {index.error && <span className={styles.error}>{index.error}</span>}
    </div>
  );
}

/** One row per (type, metric) index: how it is built, how well it finds, how big it is. */
export function IndexStatusTable({ indexes }: { indexes: readonly IndexStatus[] }) {
  return (
    <Table caption="Vector indexes" data-testid="vector-indexes">
      <thead>
        <tr>
          <th scope="col">Index</th>
          <th scope="col">Method</th>
          <th scope="col">Parameters</th>
          <th scope="col" data-align="end">
            Rows
          </th>
          <th scope="col" data-align="end">
            Recall@10
          </th>
          <th scope="col" data-align="end">
            Size
          </th>
          <th scope="col">Last build</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {indexes.map((index) => (
          <tr
            key={`${index.type}:${index.metric}`}
            data-testid="vector-index"
            data-type={index.type}
            data-metric={index.metric}
            data-status={index.status}
          >
            <th scope="row">
              {index.type} · {metricLabel(index.metric)}
            </th>
            <td>
              {index.exact ? (
                <span title="Below the tuning's minimum row count search is exact, and always right.">
                  exact (no ANN index)
                </span>
              ) : (
                index.method
              )}
            </td>
            <td className={styles.mono}>{index.exact ? "—" : formatParams(index.params)}</td>
            <td data-align="end" className={styles.number}>
              {index.rows.toLocaleString("en")}
            </td>
            <td data-align="end" className={styles.number} title={`target ${index.recall_target}`}>
              {index.measured_recall === null ? "—" : index.measured_recall.toFixed(3)}
            </td>
            <td data-align="end" className={styles.number}>
              {formatBytes(index.size_bytes)}
            </td>
            <td>
              <DateTime value={index.built_at} fallback="never" />
            </td>
            <td>
              <StatusCell index={index} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
