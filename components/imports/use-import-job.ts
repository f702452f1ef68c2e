"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { useTRPC } from "@/components/providers/trpc";

import { isTerminal, type ImportJobView } from "./import-types";

const POLL_MS = 2_000;

/**
 * One import's progress. `live`: pushed by the SSE route, whose first event is the current state
 * (so a reloaded page picks up where it was); otherwise — or when the stream is refused — polled.
 * Both write the same query cache entry. The page grants few live streams because each holds one
 * of the browser's six connections per host, which uploads and the console's requests need too.
 */
export function useImportJob(jobId: string, { live }: { live: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [streamFailed, setStreamFailed] = useState(false);
  const cached = useQuery({ ...trpc.imports.get.queryOptions({ id: jobId }), enabled: false });
  // A finished job needs no stream; a retried one (status back to queued) opens a new one.
  const ended = cached.data !== undefined && isTerminal(cached.data.status);
  const streaming = live && !streamFailed && !ended;

  useEffect(() => {
    if (!streaming) return;
    const source = new EventSource(`/api/v1/lake/import/jobs/${jobId}/events`);
    source.addEventListener("progress", (event) => {
      const job = JSON.parse((event as MessageEvent<string>).data) as ImportJobView;
      queryClient.setQueryData(trpc.imports.get.queryKey({ id: jobId }), job);
      // The server ends the stream here; closing first stops EventSource from reconnecting.
      if (isTerminal(job.status)) source.close();
    });
    // EventSource reconnects by itself after a dropped connection; CLOSED means it was refused.
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) setStreamFailed(true);
    });
    return () => source.close();
  }, [jobId, streaming, queryClient, trpc]);

  // Not while streaming: a fetch answered after the stream's last event would overwrite it.
  const query = useQuery({
    ...trpc.imports.get.queryOptions({ id: jobId }),
    enabled: !streaming,
    refetchInterval: (q) => (q.state.data && isTerminal(q.state.data.status) ? false : POLL_MS),
  });
  const status = query.data?.status;

  // A finished import changes the history and the datasets' record counts.
  useEffect(() => {
    if (status && isTerminal(status)) {
      void queryClient.invalidateQueries({ queryKey: trpc.imports.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.data.datasets.list.queryKey() });
    }
  }, [status, queryClient, trpc]);

  return { job: query.data, error: query.data ? null : query.error };
}
