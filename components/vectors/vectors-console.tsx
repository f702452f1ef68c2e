"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { useTRPC } from "@/components/providers/trpc";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorMessage } from "@/components/ui/error-message";
import { PageHeader } from "@/components/ui/page-header";
import { Stack } from "@/components/ui/stack";

import { IndexStatusPanel } from "./index-status-panel";
import { ProjectionChart } from "./projection-chart";
import { ProviderBadge } from "./provider-badge";
import { RecordDialog } from "./record-dialog";
import { SearchForm } from "./search-form";
import { SearchResults } from "./search-results";
import { SearchSummary } from "./search-summary";
import type { SearchHit } from "./vector-types";
import styles from "./vectors-console.module.css";

/**
 * The Vectors page: similarity search over records' embeddings (by text or by record, with the
 * REST API's filters), the hits with their scores and a 2-D projection, and the ANN indexes
 * that serve the searches.
 */
export function VectorsConsole({ admin }: { admin: boolean }) {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.data.datasets.list.queryOptions());
  const search = useMutation(trpc.vectors.search.mutationOptions());
  const list = datasets.data ?? [];
  const datasetNames = new Map(list.map((dataset) => [dataset.id, dataset.name]));
  const outcome = search.data;
  const [opened, setOpened] = useState<SearchHit | null>(null);

  return (
    <>
      <PageHeader
        title="Vectors"
        description="Find the records whose embeddings are closest to a text or to another record."
        actions={<ProviderBadge />}
      />
      <Stack>
        <Card title="Search">
          <SearchForm
            datasets={list}
            pending={search.isPending}
            onSearch={(input) => search.mutate(input)}
          />
        </Card>
        <ErrorMessage error={search.error} title="The search failed." />
        {outcome && outcome.results.length === 0 && (
          <EmptyState
            title="No results"
            description="Nothing has an embedding of this type among the records the filters allow, or none scored above the minimum. Try another type, fewer filters or a lower minimum score."
          />
        )}
        {outcome && outcome.results.length > 0 && (
          <section className={styles.results} aria-label="Search results">
            <SearchSummary outcome={outcome} />
            <div className={styles.grid}>
              <SearchResults
                hits={outcome.results}
                datasetNames={datasetNames}
                onOpen={setOpened}
              />
              <Card title="Projection">
                <ProjectionChart outcome={outcome} />
              </Card>
            </div>
          </section>
        )}
        <IndexStatusPanel admin={admin} />
      </Stack>
      <RecordDialog
        hit={opened}
        datasetName={opened ? datasetNames.get(opened.record.dataset_id) : undefined}
        onClose={() => setOpened(null)}
      />
    </>
  );
}
