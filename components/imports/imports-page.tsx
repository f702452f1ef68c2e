"use client";

import { useInfiniteQuery, type InfiniteData } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { Card } from "@/components/ui/card";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";
import { Stack } from "@/components/ui/stack";

import { ImportHistory } from "./import-history";
import { isTerminal, type ImportJobView } from "./import-types";
import styles from "./imports-page.module.css";
import { NewImportForm } from "./new-import-form";
import { RecoveredImports } from "./recovered-imports";
import { UploadItem } from "./upload-item";
import { useTusUploads } from "./use-tus-uploads";

/**
 * Live progress streams at once. Each SSE stream holds one of the browser's six HTTP/1.1
 * connections to the Lake for as long as its job runs; with five uploads in flight, more would
 * starve the uploads and the console's own requests. Other running jobs are polled.
 */
const LIVE_STREAMS = 2;
const HISTORY_PAGE = 20;
const HISTORY_POLL_MS = 3_000;

type HistoryPage = { items: ImportJobView[]; next_cursor: string | null };

const anyActive = (data: InfiniteData<HistoryPage> | undefined) =>
  data?.pages.some((page) => page.items.some((job) => !isTerminal(job.status))) ?? false;

/** The Imports page: pick a dataset, drop files, watch each upload become rows. */
export function ImportsPage() {
  const trpc = useTRPC();
  const { uploads, add, pause, resume, cancel, dismiss } = useTusUploads();
  const history = useInfiniteQuery(
    trpc.imports.list.infiniteQueryOptions(
      { limit: HISTORY_PAGE },
      {
        getNextPageParam: (page) => page.next_cursor ?? undefined,
        refetchInterval: (query) => (anyActive(query.state.data) ? HISTORY_POLL_MS : false),
      },
    ),
  );
  const jobs = history.data?.pages.flatMap((page) => page.items) ?? [];
  const jobOfUpload = new Map(jobs.map((job) => [job.upload_id, job]));
  const sessionUploads = new Set(uploads.map((u) => u.uploadId).filter((id) => id !== null));
  const recovered = jobs.filter(
    (job) => !isTerminal(job.status) && !sessionUploads.has(job.upload_id),
  );

  // Streams go to the oldest jobs past their upload that have not finished, as far as known.
  const candidates = [
    ...uploads.filter((u) => u.status === "done" && u.uploadId).map((u) => u.uploadId!),
    ...recovered.filter((job) => job.status !== "uploading").map((job) => job.upload_id),
  ];
  const live = new Set(
    candidates
      .filter((uploadId) => {
        const job = jobOfUpload.get(uploadId);
        return !job || !isTerminal(job.status);
      })
      .slice(0, LIVE_STREAMS),
  );

  return (
    <>
      <PageHeader
        title="Imports"
        description="Load CSV, NDJSON or JSON files into a dataset. Uploads resume after a dropped connection or a reload; every row is loaded exactly once, and bad rows are listed in an error report."
      />
      <Stack>
        <Card title="New import">
          <NewImportForm onFiles={add} />
        </Card>
        {uploads.length > 0 && (
          <section aria-labelledby="uploads-title" className={styles.section}>
            <h2 id="uploads-title" className={styles.title}>
              Uploads
            </h2>
            <ul className={styles.uploads}>
              {uploads.map((upload) => (
                <UploadItem
                  key={upload.key}
                  upload={upload}
                  live={upload.uploadId !== null && live.has(upload.uploadId)}
                  onPause={() => pause(upload.key)}
                  onResume={() => resume(upload.key)}
                  onCancel={() => void cancel(upload.key)}
                  onDismiss={() => dismiss(upload.key)}
                />
              ))}
            </ul>
          </section>
        )}
        {recovered.length > 0 && (
          <Card title="In progress">
            <RecoveredImports jobs={recovered} isLive={(job) => live.has(job.upload_id)} />
          </Card>
        )}
        <Card title="History">
          <ErrorMessage error={history.error} title="Could not load the import history." />
          {!history.error && (
            <ImportHistory
              jobs={jobs}
              loading={history.isPending}
              hasMore={history.hasNextPage}
              loadingMore={history.isFetchingNextPage}
              onLoadMore={() => void history.fetchNextPage()}
            />
          )}
        </Card>
      </Stack>
    </>
  );
}
