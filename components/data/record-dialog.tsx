"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { errorCode } from "@/components/ui/app-error";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { Skeleton } from "@/components/ui/skeleton";
import { RecordEmbeddings } from "@/components/vectors/record-embeddings";

import type { DatasetView } from "./data-types";
import { RecordEditor } from "./record-editor";
import styles from "./record-dialog.module.css";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a link to a record that is not there shows: what went wrong, and the way back. */
function RecordNotFound({
  id,
  dataset,
  onClose,
}: {
  id: string;
  dataset: DatasetView;
  onClose: () => void;
}) {
  const malformed = !UUID.test(id);
  return (
    <div className={styles.notFound} data-testid="record-not-found">
      <EmptyState
        title="Record not found"
        description={
          malformed
            ? `“${id.length > 60 ? `${id.slice(0, 60)}…` : id}” is not a record id: ids are 36 characters, like 0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90. The link may have been cut short.`
            : `No record ${id} in ${dataset.name} that you can see. It may have been deleted, or belong to another dataset or another user.`
        }
        action={<Button onClick={onClose}>Back to the records</Button>}
      />
    </div>
  );
}

function RecordSkeleton() {
  return (
    <div className={styles.loading} aria-busy="true" data-testid="record-loading">
      <span className="sr-only">Loading the record…</span>
      <Skeleton height="3.5rem" />
      <Skeleton height="14rem" />
      <Skeleton height="2.25rem" width="40%" />
    </div>
  );
}

function RecordLoader({
  id,
  dataset,
  onClose,
}: {
  id: string;
  dataset: DatasetView;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const valid = UUID.test(id);
  const record = useQuery({
    ...trpc.data.records.get.queryOptions({ id }),
    enabled: valid,
    // The editor starts from the version read now (a cached one may be outdated: archived or
    // edited since), and keeps it: a refetch must not swap it underneath.
    refetchOnMount: "always",
    refetchOnWindowFocus: false,
    gcTime: 0,
    retry: (failures, error) => failures < 1 && errorCode(error) !== "not_found",
  });
  const missing =
    !valid ||
    errorCode(record.error) === "not_found" ||
    (record.data !== undefined && record.data.record.dataset_id !== dataset.id);
  if (missing) return <RecordNotFound id={id} dataset={dataset} onClose={onClose} />;
  if (!record.isFetchedAfterMount && !record.error) return <RecordSkeleton />;
  if (!record.data) {
    return (
      <>
        <ErrorMessage error={record.error} title="Could not load the record." />
        <Actions>
          <Button onClick={onClose}>Close</Button>
        </Actions>
      </>
    );
  }
  // The embeddings sit below the editor, not inside it: they are saved on their own (a form of
  // their own, which HTML does not allow inside the editor's form), whatever the payload's state.
  return (
    <div className={styles.body}>
      <RecordEditor
        initial={record.data}
        dataset={dataset}
        reload={async () => (await record.refetch()).data}
        onClose={onClose}
      />
      <div className={styles.embeddings} data-testid="record-embeddings">
        <RecordEmbeddings recordId={record.data.record.id} />
      </div>
    </div>
  );
}

export function RecordDialog({
  id,
  dataset,
  onClose,
}: {
  /** null: closed. */
  id: string | null;
  dataset: DatasetView;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={id !== null}
      onClose={onClose}
      title="Record"
      description={`In ${dataset.name}`}
      size="lg"
      data-testid="record-dialog"
    >
      {id && <RecordLoader key={id} id={id} dataset={dataset} onClose={onClose} />}
    </Dialog>
  );
}
