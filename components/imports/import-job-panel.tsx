"use client";

import { useState } from "react";

import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stat } from "@/components/ui/stat";

import { CancelImportDialog } from "./cancel-import-dialog";
import { formatCount, formatEta, formatThroughput } from "./import-format";
import styles from "./import-job-panel.module.css";
import { ImportReport } from "./import-report";
import { ImportStatusBadge } from "./import-status-badge";
import { isTerminal } from "./import-types";
import { RejectedRows } from "./rejected-rows";
import { StageList } from "./stage-list";
import { StageProgress } from "./stage-progress";
import { useDatasetNames } from "./use-dataset-names";
import { useImportActions } from "./use-import-actions";
import { useImportJob } from "./use-import-job";

const STAGE_TEXT = { validate: "Validating", transform: "Transforming", load: "Loading" } as const;

/**
 * An import job from upload to report: stage, live counts, throughput, ETA, then the outcome with
 * its first rejected rows. Retry is offered only where it can help (job.retryable): a file that
 * failed for what it holds fails the same way again.
 */
export function ImportJobPanel({ jobId, live }: { jobId: string; live: boolean }) {
  const { job, error } = useImportJob(jobId, { live });
  const datasetNames = useDatasetNames();
  const { retry } = useImportActions();
  const [cancelling, setCancelling] = useState(false);

  if (!job) {
    return error ? (
      <ErrorMessage error={error} title="Could not load the import's progress." />
    ) : (
      <p className={styles.muted} aria-busy="true">
        Loading the import’s progress…
      </p>
    );
  }
  const running = job.status === "running" && job.stage;
  return (
    <div className={styles.panel} data-testid="import-job" data-job-id={job.id}>
      <div className={styles.statusRow}>
        <ImportStatusBadge status={job.status} />
        <span className={styles.stage} data-testid="import-stage-text">
          {running ? `${STAGE_TEXT[job.stage!]}…` : job.status === "queued" ? "Waiting…" : ""}
        </span>
      </div>
      <StageProgress job={job} />
      <dl className={styles.stats}>
        <Stat label="Rows read" testId="rows-validated">
          {formatCount(job.rows_validated)}
        </Stat>
        <Stat label="Rows loaded" testId="rows-loaded">
          {formatCount(job.rows_loaded)}
        </Stat>
        <Stat label="Rows rejected" testId="rows-rejected">
          {formatCount(job.rows_rejected)}
        </Stat>
        {!isTerminal(job.status) && (
          <>
            <Stat label="Throughput" testId="import-throughput">
              {formatThroughput(job.throughput_rows_per_second, job.bytes_per_second)}
            </Stat>
            <Stat label="Time left" testId="import-eta">
              {formatEta(job.eta_seconds)}
            </Stat>
          </>
        )}
      </dl>
      <StageList job={job} />
      <ImportReport job={job} datasetName={datasetNames.get(job.dataset_id)} />
      {isTerminal(job.status) && job.rows_rejected > 0 && (
        <RejectedRows jobId={job.id} rejected={job.rows_rejected} />
      )}
      <ErrorMessage error={retry.error} title="Could not retry the import." />
      <Actions align="start">
        {!isTerminal(job.status) && (
          <Button size="sm" variant="danger" onClick={() => setCancelling(true)}>
            Cancel import…
          </Button>
        )}
        {job.retryable && (
          <Button size="sm" onClick={() => retry.mutate({ id: job.id })} pending={retry.isPending}>
            Retry import
          </Button>
        )}
      </Actions>
      <CancelImportDialog job={cancelling ? job : null} onClose={() => setCancelling(false)} />
    </div>
  );
}
