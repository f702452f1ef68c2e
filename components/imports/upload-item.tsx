"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { ProgressBar } from "@/components/ui/progress-bar";

import { formatBytes, percent } from "./import-format";
import { ImportJobPanel } from "./import-job-panel";
import styles from "./upload-item.module.css";
import type { FileUpload } from "./use-tus-uploads";

const STATUS_TEXT: Record<FileUpload["status"], string> = {
  waiting: "Waiting for a free upload slot",
  uploading: "Uploading",
  paused: "Paused",
  done: "Uploaded",
  failed: "Upload stopped",
  cancelled: "Upload cancelled",
};

/**
 * One dropped file: its upload bar and controls, then — once the last byte is in — the import
 * job's live progress and report. The job exists from the upload's creation; it is found by the
 * upload's id.
 */
export function UploadItem({
  upload,
  live,
  onPause,
  onResume,
  onCancel,
  onDismiss,
}: {
  upload: FileUpload;
  /** This job may hold one of the page's live progress streams. */
  live: boolean;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
  onDismiss: () => void;
}) {
  const trpc = useTRPC();
  const job = useQuery({
    ...trpc.imports.byUpload.queryOptions({ uploadId: upload.uploadId ?? "" }),
    enabled: upload.uploadId !== null && upload.status === "done",
    staleTime: Infinity,
  });
  const jobId = job.data?.id;
  const { file, status } = upload;
  const item = useRef<HTMLLIElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // An item mounts when its file is added (uploads live in this page's session only), so this is
  // the moment to bring its progress to where the user is looking — the drop zone or the preview
  // may sit at the bottom of a tall form — and to give focus a place after the preview closes.
  useEffect(() => {
    item.current?.scrollIntoView({ block: "nearest" });
    heading.current?.focus({ preventScroll: true });
  }, []);

  return (
    <li ref={item} className={styles.item} data-testid="upload-item" data-filename={file.name}>
      <div className={styles.head}>
        <div className={styles.title}>
          <h3 ref={heading} tabIndex={-1} className={styles.name}>
            {file.name}
          </h3>
          <span className={styles.meta}>
            {formatBytes(file.size)} → {upload.dataset}
          </span>
        </div>
        <span className={styles.status} data-testid="upload-status" data-status={status}>
          {STATUS_TEXT[status]}
          {upload.resumed && status !== "cancelled" ? " (resumed)" : ""}
        </span>
      </div>
      {status !== "done" && status !== "cancelled" && (
        <>
          <ProgressBar
            label={`Upload of ${file.name}`}
            value={percent(upload.bytesSent, upload.bytesTotal)}
            valueText={`${formatBytes(upload.bytesSent)} of ${formatBytes(upload.bytesTotal)}`}
          />
          <p className={styles.bytes}>
            {formatBytes(upload.bytesSent)} of {formatBytes(upload.bytesTotal)} ·{" "}
            {percent(upload.bytesSent, upload.bytesTotal)}%
          </p>
        </>
      )}
      {upload.error && (
        <Banner tone="danger" role="alert">
          {upload.error}
        </Banner>
      )}
      {status === "done" && !jobId && (
        <p className={styles.bytes} aria-busy="true">
          Starting the import…
        </p>
      )}
      {jobId && <ImportJobPanel jobId={jobId} live={live} />}
      <Actions align="start">
        {status === "uploading" && (
          <Button size="sm" onClick={onPause}>
            Pause
          </Button>
        )}
        {(status === "paused" || status === "failed") && (
          <Button size="sm" variant="primary" onClick={onResume}>
            {status === "paused" ? "Resume" : "Try again"}
          </Button>
        )}
        {status !== "done" && status !== "cancelled" && (
          <Button size="sm" variant="danger" onClick={onCancel}>
            Cancel upload
          </Button>
        )}
        {(status === "done" || status === "cancelled" || status === "failed") && (
          <Button size="sm" variant="ghost" onClick={onDismiss}>
            Dismiss
          </Button>
        )}
      </Actions>
    </li>
  );
}
