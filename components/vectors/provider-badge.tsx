"use client";

import { useQuery } from "@tanstack/react-query";

import { useTRPC } from "@/components/providers/trpc";
import { Badge } from "@/components/ui/badge";

/**
 * Which embedder turns query texts into vectors. The built-in one matches shared words and
 * spellings, not meanings; saying so next to the search box keeps a lexical hit from being read
 * as a semantic judgement.
 */
export function ProviderBadge() {
  const trpc = useTRPC();
  const provider = useQuery(trpc.vectors.provider.queryOptions());
  if (!provider.isSuccess) return null;
  const info = provider.data;
  if (!info) {
    return (
      <Badge tone="warning" data-testid="embedder-badge">
        No embedder: search by record only
      </Badge>
    );
  }
  if (info.lexical) {
    return (
      <Badge
        tone="neutral"
        data-testid="embedder-badge"
        title={`${info.model}: words and character trigrams hashed into 1536 dimensions. Set CORTEX_URL for semantic embeddings.`}
      >
        Local embedder — lexical hashing, not semantic
      </Badge>
    );
  }
  return (
    <Badge tone="success" data-testid="embedder-badge">
      Cortex · {info.model}
    </Badge>
  );
}
