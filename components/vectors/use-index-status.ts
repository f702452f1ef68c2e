"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";

import type { IndexStatus } from "./vector-types";

/** How often the page re-reads the indexes while one builds (the build reports about as often). */
export const BUILD_POLL_MS = 1_000;

/** A tune asked for: its index, and its last build time when it was asked. */
export type TuneWatch = Pick<IndexStatus, "type" | "metric" | "built_at">;

export const isBuilding = (index: Pick<IndexStatus, "status">) => index.status === "building";

/**
 * Whether a requested build has yet to show itself. The request answers before the build claims
 * its row, so for a moment nothing reads `building`; it has shown itself once the row is
 * building, has a new build time, or has failed.
 */
export function awaitingBuild(items: readonly IndexStatus[], watch: TuneWatch | null): boolean {
  if (!watch) return false;
  const row = items.find((item) => item.type === watch.type && item.metric === watch.metric);
  if (!row) return true;
  return !isBuilding(row) && row.status !== "failed" && row.built_at === watch.built_at;
}

/** The indexes' state, polled every second while a build runs or a requested one is awaited. */
export function useIndexStatus(watch: TuneWatch | null) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.vectors.indexes.queryOptions(),
    refetchInterval: (query) => {
      const items = query.state.data?.items ?? [];
      return items.some(isBuilding) || awaitingBuild(items, watch) ? BUILD_POLL_MS : false;
    },
  });
}
