import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone-icon";

import { formatCount } from "./import-format";
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
  running: { tone: "neutral", label: "Running" },
  succeeded: { tone: "success", label: "Done" },
  failed: { tone: "danger", label: "Failed" },
  skipped: { tone: "neutral", label: "Skipped" },
};

/** The three stages in order, each with its state and the rows it has handled. */
export function StageList({ stages }: { stages: readonly Stage[] }) {
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
          <span className={styles.rows}>{formatCount(stage.rows_out)} rows</span>
          {stage.error && <span className={styles.error}>{stage.error}</span>}
        </li>
      ))}
    </ol>
  );
}
