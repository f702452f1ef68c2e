import type { inferRouterOutputs } from "@trpc/server";

import type { AppRouter } from "@/server/doors/trpc/router";
import type { IndexStatus } from "@/server/vectors/vectors.schemas";

export type { IndexStatus };

type VectorsOutputs = inferRouterOutputs<AppRouter>["vectors"];
export type SearchOutcome = VectorsOutputs["search"];
export type SearchHit = SearchOutcome["results"][number];
export type EmbeddingProviderInfo = VectorsOutputs["provider"];

export type VectorType = IndexStatus["type"];
export type VectorMetric = IndexStatus["metric"];
export type IndexMethod = IndexStatus["method"];

// The server's enums, in the order the console offers them.
export const VECTOR_TYPES: readonly VectorType[] = ["TEXT", "IMAGE", "AUDIO", "CUSTOM"];
export const METRICS: readonly { value: VectorMetric; label: string }[] = [
  { value: "cosine", label: "Cosine" },
  { value: "l2", label: "Euclidean (L2)" },
  { value: "inner_product", label: "Inner product" },
];
export const METHODS: readonly { value: IndexMethod; label: string }[] = [
  { value: "ivfflat", label: "IVFFlat" },
  { value: "hnsw", label: "HNSW" },
];

export const metricLabel = (metric: VectorMetric) =>
  METRICS.find((option) => option.value === metric)?.label ?? metric;
