import { type Database } from "../../db/client";
import type { VectorIndex } from "../../db/generated/client";
import { type VectorMetric, type VectorType } from "../../db/generated/enums";
import { type AnnSettings } from "../search/run-search-sql";

/** What a build stores in `vector_indexes.params`. */
export type IndexParams = {
  lists?: number;
  probes?: number;
  m?: number;
  ef_construction?: number;
  ef_search?: number;
};

export const paramsOf = (row: Pick<VectorIndex, "params">): IndexParams =>
  (row.params ?? {}) as IndexParams;

export function findIndexState(
  db: Pick<Database, "prisma">,
  type: VectorType,
  metric: VectorMetric,
): Promise<VectorIndex | null> {
  return db.prisma.vectorIndex.findUnique({ where: { type_metric: { type, metric } } });
}

/**
 * How a search of this type and metric uses its index: an ANN index with its tuned setting once
 * one has been built (even while a rebuild runs: the old index serves until the swap), exact
 * search otherwise.
 */
export function annSettingsOf(state: VectorIndex | null): AnnSettings {
  if (!state?.indexName) return { method: "exact" };
  const params = paramsOf(state);
  if (state.method === "hnsw") return { method: "hnsw", efSearch: params.ef_search ?? 40 };
  return { method: "ivfflat", probes: params.probes ?? 1 };
}
