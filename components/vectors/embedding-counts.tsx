"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { ErrorMessage } from "@/components/ui/error-message";
import { Stat } from "@/components/ui/stat";

import styles from "./embedding-counts.module.css";

const count = new Intl.NumberFormat("en");

/** Embeddings per vector type — every type, so "no IMAGE embeddings yet" is visible too. */
export function EmbeddingCounts() {
  const trpc = useTRPC();
  const counts = useQuery(trpc.vectors.embeddingCounts.queryOptions());
  if (counts.error) {
    return <ErrorMessage error={counts.error} title="Could not count the embeddings." />;
  }
  return (
    <dl className={styles.counts} aria-label="Embeddings per type" aria-busy={counts.isPending}>
      {(counts.data?.items ?? []).map((item) => (
        <Stat
          key={item.type}
          label={`${item.type} embeddings`}
          testId={`embedding-count-${item.type}`}
        >
          {count.format(item.count)}
        </Stat>
      ))}
    </dl>
  );
}
