import { ProgressBar } from "@/components/ui/progress-bar";

import { formatCount, percent } from "./import-format";
import type { ImportJobView } from "./import-types";

/**
 * The bar for where the job is now. Validation reads a file whose row count nobody knows yet, so
 * its bar is indeterminate (the row count and ETA say how far it is); transform and load run
 * overlapped towards the rows validation accepted, so one bar tracks the rows loaded.
 */
export function StageProgress({ job }: { job: ImportJobView }) {
  const label = `Progress of ${job.filename ?? "the import"}`;
  if (job.status === "succeeded") return <ProgressBar label={label} value={100} valueText="Done" />;
  if (job.status === "queued")
    return <ProgressBar label={label} value={null} valueText="Waiting for a worker" />;
  if (job.status !== "running") return null;
  if (job.stage === "transform" || job.stage === "load") {
    return (
      <ProgressBar
        label={label}
        value={percent(job.rows_loaded, job.rows_accepted)}
        valueText={`${formatCount(job.rows_loaded)} of ${formatCount(job.rows_accepted)} rows loaded`}
      />
    );
  }
  return (
    <ProgressBar
      label={label}
      value={null}
      valueText={`${formatCount(job.rows_validated)} rows validated`}
    />
  );
}
