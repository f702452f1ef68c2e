import { recordOwnerScope } from "../../auth/resource-policy";
import { type CacheServices } from "../../cache/cache-services";
import { findDataset } from "../datasets/find-dataset";
import { queryRecords, type QueryRecordsOptions, type QueryRecordsResult } from "./query-records";
import { recordCache } from "./record-cache";

/**
 * queryRecords through the cache, for queries over one dataset. The key holds the dataset's
 * version (read before the query runs, so a concurrent write is never cached under the new
 * version), the caller's owner scope under the policy, and the canonical query string.
 */
export async function queryRecordsCached(
  options: QueryRecordsOptions & { cache: CacheServices["cache"]; queryString: URLSearchParams },
): Promise<QueryRecordsResult> {
  const { query, principal } = options;
  if (query.dataset === undefined) return queryRecords(options);
  const dataset = await findDataset(options.db, query.dataset);
  const scope = recordOwnerScope(principal, dataset.policy, "read");
  const cache = recordCache(options.cache);
  const key = await cache.queryKey(
    dataset.id,
    "ownerId" in scope ? scope.ownerId : "all",
    canonical(options.queryString),
  );
  const hit = await cache.getQuery<QueryRecordsResult>(key);
  if (hit) return hit;
  const result = await queryRecords({ ...options, dataset });
  await cache.putQuery(key, result);
  return result;
}

function canonical(params: URLSearchParams): string {
  return [...params.entries()]
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .sort()
    .join("&");
}
