"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";

import type { ImportJobView } from "./import-types";

/**
 * Cancel and retry. Both answer with the job's new state, which goes straight into its progress
 * entry (a retried job opens a live stream again from there); the history and the datasets'
 * record counts are refetched.
 */
export function useImportActions() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = async (job: ImportJobView) => {
    queryClient.setQueryData(trpc.imports.get.queryKey({ id: job.id }), job);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.imports.list.pathKey() }),
      queryClient.invalidateQueries(trpc.data.datasets.list.queryFilter()),
    ]);
  };
  const cancel = useMutation(trpc.imports.cancel.mutationOptions({ onSuccess }));
  const retry = useMutation(trpc.imports.retry.mutationOptions({ onSuccess }));
  return { cancel, retry };
}
