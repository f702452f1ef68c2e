import Link from "next/link";

import { Banner } from "@/components/ui/banner";
import { buttonProps } from "@/components/ui/button";

import { formatRows } from "./import-format";
import { errorReportUrl, type ImportJobView } from "./import-types";
import styles from "./import-report.module.css";

/** How a finished import ended: what was loaded, what was rejected and where to see both. */
export function ImportReport({
  job,
  datasetName,
}: {
  job: ImportJobView;
  datasetName: string | undefined;
}) {
  const rejected = job.rows_rejected > 0 && (
    <a
      {...buttonProps("secondary", "sm")}
      href={errorReportUrl(job.id)}
      download
      data-testid="import-error-report"
    >
      Download the error report (CSV)
    </a>
  );
  if (job.status === "succeeded") {
    return (
      <div className={styles.report} data-testid="import-report">
        <Banner tone={job.rows_rejected > 0 ? "warning" : "success"} role="status">
          <strong>Imported {formatRows(job.rows_loaded)}</strong>
          {datasetName ? ` into ${datasetName}` : ""}
          {job.rows_rejected > 0
            ? `; ${formatRows(job.rows_rejected)} rejected (see the error report).`
            : "."}
        </Banner>
        <div className={styles.links}>
          {rejected}
          {datasetName && (
            <Link
              {...buttonProps("secondary", "sm")}
              href={`/data/${encodeURIComponent(datasetName)}`}
            >
              Open {datasetName} in Data
            </Link>
          )}
        </div>
      </div>
    );
  }
  if (job.status === "failed" || job.status === "cancelled") {
    return (
      <div className={styles.report} data-testid="import-report">
        {/* The heading says what happened to the rows; the server's reason says why, once. */}
        <Banner tone={job.status === "failed" ? "danger" : "warning"} role="status">
          <strong>
            {job.status === "failed"
              ? "The import failed; nothing was loaded."
              : "Cancelled; the rows loaded so far were removed."}
          </strong>{" "}
          {job.status === "failed" && job.error}
        </Banner>
        {rejected && <div className={styles.links}>{rejected}</div>}
      </div>
    );
  }
  return null;
}
