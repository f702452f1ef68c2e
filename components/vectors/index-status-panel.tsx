"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Banner } from "@/components/ui/banner";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";

import { EmbeddingCounts } from "./embedding-counts";
import { IndexStatusTable } from "./index-status-table";
import styles from "./index-status-panel.module.css";
import { TuneFeedback } from "./tune-feedback";
import { TuneIndexForm, type TuneRequest } from "./tune-index-form";
import { useIndexStatus, type TuneWatch } from "./use-index-status";

/**
 * The ANN indexes and, for administrators, "Tune now". A build runs in the background on the
 * server; its progress (phase, done/total) is read by polling the status every second while it
 * runs, which survives a reload and needs no socket.
 */
export function IndexStatusPanel({ admin }: { admin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [watch, setWatch] = useState<TuneWatch | null>(null);
  const indexes = useIndexStatus(watch);
  const items = indexes.data?.items ?? [];

  const tune = useMutation(
    trpc.vectors.tune.mutationOptions({
      onSuccess: async (state) => {
        setWatch({ type: state.type, metric: state.metric, built_at: state.built_at });
        await Promise.all([
          queryClient.invalidateQueries(trpc.vectors.indexes.queryFilter()),
          queryClient.invalidateQueries(trpc.vectors.embeddingCounts.queryFilter()),
        ]);
      },
    }),
  );

  return (
    <Card title="Indexes" data-testid="vector-index-panel">
      <div className={styles.body}>
        <p className={styles.intro}>
          One ANN index per vector type and metric, tuned to its recall target: <em>lists</em> from
          the row count, then the smallest <em>probes</em> (or <em>ef_search</em>) whose measured
          recall@10 against exact search reaches it.
        </p>
        <EmbeddingCounts />
        {admin && (
          <TuneIndexForm
            pending={tune.isPending}
            onTune={(request: TuneRequest) => {
              setWatch(null);
              tune.mutate(request);
            }}
          />
        )}
        {tune.isPending && (
          <Banner tone="active" role="status" data-testid="tune-feedback" data-state="requested">
            Asking the Lake to tune the index…
          </Banner>
        )}
        {watch && !tune.isPending && <TuneFeedback watch={watch} items={items} />}
        <ErrorMessage error={tune.error} title="The index was not tuned." />
        <ErrorMessage error={indexes.error} title="Could not load the indexes." />
        {indexes.isPending && !indexes.error && (
          <p className={styles.intro} aria-busy="true">
            Loading…
          </p>
        )}
        {indexes.data && items.length === 0 && (
          <EmptyState
            title="No indexes yet"
            description="An index is built once a type has 1,000 embeddings, or when an administrator tunes one. Until then search is exact."
          />
        )}
        {items.length > 0 && <IndexStatusTable indexes={items} />}
      </div>
    </Card>
  );
}
