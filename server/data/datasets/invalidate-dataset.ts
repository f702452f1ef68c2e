import { type CacheServices } from "../../cache/cache-services";
import { dataChanges } from "../data-changes";
import { recordCache } from "../records/record-cache";
import { invalidateDatasetMemo } from "./find-dataset";

/**
 * After a dataset itself changed (policy, schema, deletion), by the service that changed it: every
 * process's memo of datasets, and every cached record and query of it, are stale — a hit re-checks
 * the policy it was cached with — and so is every cached list of datasets.
 */
export async function invalidateDataset(cache: CacheServices, datasetId: string): Promise<void> {
  await invalidateDatasetMemo();
  await recordCache(cache).invalidate([], [datasetId]);
  await cache.changes.mark([dataChanges.datasetList]);
}
