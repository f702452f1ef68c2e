"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { useTRPC } from "@/components/providers/trpc";

/** Dataset id → name, for jobs (which carry only the id); shares the picker's query. */
export function useDatasetNames(): ReadonlyMap<string, string> {
  const trpc = useTRPC();
  const datasets = useQuery(trpc.data.datasets.list.queryOptions());
  return useMemo(
    () => new Map((datasets.data ?? []).map((dataset) => [dataset.id, dataset.name])),
    [datasets.data],
  );
}
