import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone-icon";

import { formatCount, formatRows } from "./import-format";
import type { ImportJobView } from "./import-types";
import styles from "./stage-list.module.css";

type Stage = ImportJobView["stages"][number];

const NAMES: Record<Stage["name"], string> = {
  validate: "Validate",
  transform: "Transform",
  load: "Load",
};

const STATUS: Record<Stage["status"], { tone: Tone; label: string }> = {
  pending: { tone: "neutral", label: "Pending" },
  running: { tone: "active", label: "Running" },
  succeeded: { tone: "success", label: "Done" },
  failed: { tone: "danger", label: "Failed" },
  skipped: { tone: "neutral", label: "Skipped" },
};

/**
 * A stage's rows, from the job's live counters — the same numbers as the panel's figures, so
 * "Rows read 2,000" sits beside "2,000 read, 1,998 accepted", never beside another count.
 */
function stageRows(stage: Stage, job: ImportJobView): string {
  if (stage.status === "pending" || stage.status === "skipped") return "";
  if (stage.name === "validate") {
    return `${formatCount(job.rows_validated)} read, ${formatCount(job.rows_accepted)} accepted`;
  }
  return `${formatRows(stage.name === "transform" ? job.rows_transformed : job.rows_loaded)} ${
    stage.name === "transform" ? "transformed" : "loaded"
  }`;
}

/**
 * The three stages in order, each with its state and the rows it has handled. A stage's error
 * that is the job's own is already said by the report, so it is not repeated here.
 */
export function StageList({ job }: { job: ImportJobView }) {
  const { stages } = job;
  if (stages.length === 0) return null;
  return (
    <ol className={styles.stages} aria-label="Stages">
      {stages.map((stage) => (
        <li
          key={stage.name}
          className={styles.stage}
          data-testid="import-stage"
          data-stage={stage.name}
          data-status={stage.status}
        >
          <span className={styles.name}>{NAMES[stage.name]}</span>
          <Badge tone={STATUS[stage.status].tone}>{STATUS[stage.status].label}</Badge>
          <span className={styles.rows}>{stageRows(stage, job)}</span>
          {stage.error && stage.error !== job.error && (
            <span className={styles.error}>{stage.error}</span>
          )}
        </li>
      ))}
    </ol>
  );
}
