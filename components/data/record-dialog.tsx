"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { Actions } from "@/components/ui/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ErrorMessage } from "@/components/ui/error-message";

import type { DatasetView } from "./data-types";
import { RecordEditor } from "./record-editor";
import styles from "./record-dialog.module.css";

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
  const record = useQuery({
    ...trpc.data.records.get.queryOptions({ id }),
    // The editor starts from the version read now (a cached one may be outdated: archived or
    // edited since), and keeps it: a refetch must not swap it underneath.
    refetchOnMount: "always",
    refetchOnWindowFocus: false,
    gcTime: 0,
  });
  if (!record.isFetchedAfterMount && !record.error) {
    return (
      <p className={styles.loading} aria-busy="true">
        Loading the record…
      </p>
    );
  }
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
  return (
    <RecordEditor
      initial={record.data}
      dataset={dataset}
      reload={async () => (await record.refetch()).data}
      onClose={onClose}
    />
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
