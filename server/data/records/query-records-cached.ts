import { recordOwnerScope } from "../../auth/resource-policy";
import { type CacheServices } from "../../cache/cache-services";
import { findDatasetCached } from "../datasets/find-dataset";
import { queryRecords, type QueryRecordsOptions, type QueryRecordsResult } from "./query-records";
import { recordCache } from "./record-cache";

/**
 * queryRecords through the cache, for queries over one dataset. An entry is found by the caller's
 * owner scope under the policy and the canonical query string, and served only while its dataset's
 * version is the one it was read under (record-cache.ts).
 */
export async function queryRecordsCached(
  options: QueryRecordsOptions & { cache: CacheServices; queryString: URLSearchParams },
): Promise<QueryRecordsResult> {
  const { query, principal } = options;
  if (query.dataset === undefined) return queryRecords(options);
  const dataset = await findDatasetCached(options.db, query.dataset);
  const scope = recordOwnerScope(principal, dataset.policy, "read");
  const cache = recordCache(options.cache);
  const lookup = await cache.lookupQuery<QueryRecordsResult>(
    dataset.id,
    "ownerId" in scope ? scope.ownerId : "all",
    canonical(options.queryString),
  );
  if (lookup.hit) return lookup.hit;
  const result = await queryRecords({ ...options, dataset });
  await lookup.store(result);
  return result;
}

function canonical(params: URLSearchParams): string {
  return [...params.entries()]
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .sort()
    .join("&");
}
