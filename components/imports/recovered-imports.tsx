import { Banner } from "@/components/ui/banner";

import { ImportJobPanel } from "./import-job-panel";
import type { ImportJobView } from "./import-types";
import styles from "./recovered-imports.module.css";

/**
 * Imports still under way that this page did not start — from before a reload, another tab or
 * another machine — so their progress stays in view.
 */
export function RecoveredImports({
  jobs,
  isLive,
}: {
  jobs: readonly ImportJobView[];
  isLive: (job: ImportJobView) => boolean;
}) {
  return (
    <ul className={styles.list}>
      {jobs.map((job) => (
        <li key={job.id} className={styles.item} data-testid="recovered-import">
          <h3 className={styles.name}>{job.filename ?? "Unnamed file"}</h3>
          {job.status === "uploading" && (
            <Banner tone="warning">
              Its upload stopped before the end. Drop the same file again with the same dataset and
              format to resume it where it stopped, or cancel the import.
            </Banner>
          )}
          <ImportJobPanel jobId={job.id} live={isLive(job)} />
        </li>
      ))}
    </ul>
  );
}
