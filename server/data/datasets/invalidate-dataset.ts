import { type CacheServices } from "../../cache/cache-services";
import { recordCache } from "../records/record-cache";

/**
 * After a dataset itself changes (policy, schema, deletion): every cached record and query of it
 * is stale, since a hit re-checks the policy it was cached with.
 */
export function invalidateDataset(cache: CacheServices["cache"], datasetId: string): Promise<void> {
  return recordCache(cache).invalidate([], [datasetId]);
}
