import { type VectorIndexMethod } from "../../db/generated/enums";
import { type IndexParams } from "./index-state";

/** The knobs of automatic tuning; tests and benchmarks shrink them to small tables. */
export type TuningOptions = {
  /** Below this many embeddings no ANN index is built: search is exact. Default 1000. */
  minRows: number;
  /** ivfflat lists = rows / rowsPerList up to 1M rows, √rows above (pgvector's guidance). Default 1000. */
  rowsPerList: number;
  /** Sample queries measured against exact search. Default 50. */
  sampleQueries: number;
  /** Rebuild once the type has this many times the rows it had at the build. Default 1.5. */
  growthFactor: number;
  /**
   * maintenance_work_mem of the build's own session, in MB. Default 512: IVFFlat's k-means needs
   * little; an HNSW graph of 1536-d vectors needs ~7 KB per row and builds several times slower
   * once it outgrows this (pgvector says so in a NOTICE), so large HNSW builds want more.
   */
  maintenanceWorkMemMb: number;
};

export const DEFAULT_TUNING: TuningOptions = {
  minRows: 1000,
  rowsPerList: 1000,
  sampleQueries: 50,
  growthFactor: 1.5,
  maintenanceWorkMemMb: 512,
};

/**
 * A one-sided 95 % lower bound of a recall measured over `slots` neighbours (normal approximation
 * of a proportion; 1 when nothing was measured). A perfect sample still has a bound below 1, so
 * small samples cannot claim more than they saw.
 */
export function recallLowerBound(recall: number, slots: number): number {
  if (slots === 0) return 1;
  // +1/slots keeps the error above zero at recall 1 (a sample of 0 misses proves little).
  const variance = Math.max(recall * (1 - recall), 1 / slots) / slots;
  return recall - 1.645 * Math.sqrt(variance);
}

/** recall@10 is what the target is measured on. */
export const RECALL_AT = 10;
/** HNSW defaults (pgvector's): fine up to millions of rows; ef_search is what gets tuned. */
const HNSW_M = 16;
const HNSW_EF_CONSTRUCTION = 64;
export const HNSW_EF_SEARCH_RANGE = { min: RECALL_AT, max: 1000 } as const;

export function buildParams(
  method: VectorIndexMethod,
  rows: number,
  options: TuningOptions,
): IndexParams {
  if (method === "hnsw") return { m: HNSW_M, ef_construction: HNSW_EF_CONSTRUCTION };
  const lists =
    rows <= 1_000_000 ? Math.floor(rows / options.rowsPerList) : Math.floor(Math.sqrt(rows));
  return { lists: Math.max(1, lists) };
}

/**
 * The smallest value in [min, max] for which `reaches` holds, assuming recall grows with it:
 * doubling until it holds, then bisecting the last gap — O(log max) measurements. When even `max`
 * falls short, `max` (the best available) with `reached: false`.
 */
export async function smallestReaching(
  min: number,
  max: number,
  reaches: (value: number) => Promise<boolean>,
): Promise<{ value: number; reached: boolean }> {
  let low = min - 1; // known not to reach (or below the range)
  let high = min;
  while (!(await reaches(high))) {
    if (high >= max) return { value: max, reached: false };
    low = high;
    high = Math.min(max, high * 2);
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await reaches(middle)) high = middle;
    else low = middle;
  }
  return { value: high, reached: true };
}
