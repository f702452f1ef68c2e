"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import type { RequestHistoryView } from "@/server/overview/overview.schemas";

import { mergeHistory } from "./request-history-merge";

export const TRAFFIC_REFRESH_MS = 5_000;

/**
 * This instance's request samples over the last `windowSeconds`, polled: the first fetch takes
 * the window, each later one only the points from the newest held (it was partial) on.
 */
export function useRequestHistory(windowSeconds: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const queryKey = ["overview", "requests-merged", windowSeconds] as const;
  return useQuery({
    queryKey,
    queryFn: async () => {
      const previous = queryClient.getQueryData<RequestHistoryView>(queryKey);
      const after = previous?.points.at(-1)?.t;
      const answer = await queryClient.fetchQuery({
        ...trpc.overview.requests.queryOptions({ windowSeconds, after }),
        staleTime: 0,
        gcTime: 0,
      });
      return mergeHistory(previous, answer, windowSeconds);
    },
    refetchInterval: TRAFFIC_REFRESH_MS,
    // The charts keep the last good figures while a refresh fails; the card says so.
    retry: false,
  });
}
