"use client";

import { useState } from "react";

import { Button, buttonProps } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Table } from "@/components/ui/table";

import { CancelImportDialog } from "./cancel-import-dialog";
import styles from "./import-history.module.css";
import { formatBytes, formatCount } from "./import-format";
import { ImportStatusBadge } from "./import-status-badge";
import { errorReportUrl, isTerminal, type ImportJobView } from "./import-types";
import { useDatasetNames } from "./use-dataset-names";
import { useImportActions } from "./use-import-actions";

/** Every import the user may see (an administrator's: everyone's), newest first. */
export function ImportHistory({
  jobs,
  loading,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  jobs: readonly ImportJobView[];
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const datasetNames = useDatasetNames();
  const { retry } = useImportActions();
  const [cancelling, setCancelling] = useState<ImportJobView | null>(null);

  if (loading) {
    return (
      <p className={styles.muted} aria-busy="true">
        Loading…
      </p>
    );
  }
  if (jobs.length === 0) {
    return (
      <EmptyState
        title="No imports yet"
        description="Files you import appear here with how many rows were loaded and rejected."
      />
    );
  }
  return (
    <>
      <ErrorMessage error={retry.error} title="Could not retry the import." />
      <Table caption="Import history" data-testid="import-history">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Dataset</th>
            <th scope="col">Status</th>
            <th scope="col" data-align="end">
              Loaded
            </th>
            <th scope="col" data-align="end">
              Rejected
            </th>
            <th scope="col">Started</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id} data-testid="import-row" data-job-id={job.id}>
              <th scope="row">
                <span className={styles.file}>{job.filename ?? "Unnamed file"}</span>
                <span className={styles.muted}>
                  {job.format} · {job.bytes_total === null ? "—" : formatBytes(job.bytes_total)}
                </span>
              </th>
              <td>{datasetNames.get(job.dataset_id) ?? "—"}</td>
              <td>
                <ImportStatusBadge status={job.status} />
                {job.status === "failed" && job.error && (
                  <span className={styles.error}>{job.error}</span>
                )}
              </td>
              <td data-align="end" data-testid="history-loaded">
                {formatCount(job.rows_loaded)}
              </td>
              <td data-align="end" data-testid="history-rejected">
                {formatCount(job.rows_rejected)}
              </td>
              <td>
                <DateTime value={job.created_at} />
              </td>
              <td>
                <div className={styles.actions}>
                  {job.rows_rejected > 0 && (
                    <a
                      {...buttonProps("ghost", "sm")}
                      href={errorReportUrl(job.id)}
                      download
                      aria-label={`Error report of ${job.filename ?? "this import"}`}
                    >
                      Errors
                    </a>
                  )}
                  {!isTerminal(job.status) && (
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setCancelling(job)}
                      aria-label={`Cancel the import of ${job.filename ?? "this file"}`}
                    >
                      Cancel
                    </Button>
                  )}
                  {job.retryable && (
                    <Button
                      size="sm"
                      onClick={() => retry.mutate({ id: job.id })}
                      pending={retry.isPending && retry.variables?.id === job.id}
                      aria-label={`Retry the import of ${job.filename ?? "this file"}`}
                    >
                      Retry
                    </Button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {hasMore && (
        <div className={styles.more}>
          <Button onClick={onLoadMore} pending={loadingMore}>
            Show older imports
          </Button>
        </div>
      )}
      <CancelImportDialog job={cancelling} onClose={() => setCancelling(null)} />
    </>
  );
}
