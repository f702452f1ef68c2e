"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";

import { CreateDatasetDialog } from "./create-dataset-dialog";
import type { DatasetView } from "./data-types";
import styles from "./data-studio.module.css";
import { DatasetList } from "./dataset-list";
import { DeleteDatasetDialog } from "./delete-dataset-dialog";
import { RecordsPanel } from "./records-panel";

/**
 * The Data page: datasets on the left, the open one's records on the right. The open dataset is
 * in the URL (/data/<name>), and the grid's view in its query string, so both can be bookmarked
 * and shared (a vector search hit links to `?record=<id>`).
 */
export function DataStudio({ datasetName }: { datasetName: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const datasets = useQuery(
    trpc.data.datasets.list.queryOptions(undefined, {
      // A payload index builds in the background: its badge turns ready without a reload.
      refetchInterval: (query) =>
        query.state.data?.some((dataset) => dataset.payload_index === "building") ? 2_000 : false,
    }),
  );
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<DatasetView | null>(null);
  const list = datasets.data ?? [];
  const open = datasetName === null ? null : list.find((d) => d.name === datasetName);

  const newDataset = (
    <Button variant="primary" onClick={() => setCreating(true)} data-testid="dataset-new">
      New dataset
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Data"
        description="Browse, filter and edit the records in this Lake’s datasets."
        actions={newDataset}
      />
      <ErrorMessage error={datasets.error} title="Could not load datasets." />
      <div className={styles.layout}>
        <aside className={styles.aside}>
          <h2 className={styles.asideTitle}>Datasets</h2>
          {datasets.isPending && (
            <div className={styles.loadingList} aria-busy="true" data-testid="datasets-loading">
              <span className="sr-only">Loading datasets…</span>
              {[0, 1, 2].map((index) => (
                <Skeleton key={index} height="2.25rem" />
              ))}
            </div>
          )}
          {datasets.data && list.length === 0 && <p className={styles.muted}>None yet.</p>}
          {list.length > 0 && <DatasetList datasets={list} selected={datasetName} />}
        </aside>
        <div className={styles.main}>
          {datasets.data && list.length === 0 && (
            <EmptyState
              title="No datasets yet"
              description="A dataset holds JSON records under one access policy, optionally checked against a JSON Schema. Create one to start adding records."
              action={newDataset}
            />
          )}
          {datasets.data && list.length > 0 && datasetName === null && (
            <EmptyState
              title="Choose a dataset"
              description="Pick one on the left to browse, filter and edit its records."
            />
          )}
          {datasets.data && datasetName !== null && !open && (
            <EmptyState
              title={`No dataset named “${datasetName}”`}
              description="It may have been deleted or renamed. Pick another one on the left."
            />
          )}
          {open && (
            <RecordsPanel key={open.id} dataset={open} onDeleteDataset={() => setDeleting(open)} />
          )}
        </div>
      </div>
      <CreateDatasetDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(name) => {
          setCreating(false);
          router.push(`/data/${encodeURIComponent(name)}`);
        }}
      />
      <DeleteDatasetDialog
        dataset={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => {
          setDeleting(null);
          router.push("/data");
        }}
      />
    </>
  );
}
