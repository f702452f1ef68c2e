import { createHash, randomUUID } from "node:crypto";

import { assertRecordAccess, type ResourcePolicy } from "../../auth/resource-policy";
import { type Principal } from "../../auth/principal";
import { type CacheServices } from "../../cache/cache-services";
import { type RecordView } from "./records.schemas";

const RECORD_TTL_SECONDS = 60;
const QUERY_TTL_SECONDS = 30;

type CachedRecord = {
  view: RecordView;
  policy: ResourcePolicy;
  etag: string;
  datasetVersion: string;
};

/**
 * Hot reads from the cache (Redis, or in-process). A cached record keeps its dataset's policy, and
 * the policy is checked against the caller on every hit, so nothing is served across owners.
 * Every write to a dataset — and every change to the dataset itself (policy, deletion) — replaces
 * its version; cached records and query results carry the version they were read under, and a
 * hit under an older version is a miss.
 */
export function recordCache(cache: CacheServices["cache"]) {
  const versionKey = (datasetId: string) => `dsver:${datasetId}`;
  const currentVersion = async (datasetId: string): Promise<string> => {
    let version = await cache.get<string>(versionKey(datasetId));
    if (!version) {
      version = randomUUID();
      await cache.set(versionKey(datasetId), version, 24 * 3600);
    }
    return version;
  };
  return {
    currentVersion,

    async getRecord(principal: Principal, id: string): Promise<CachedRecord | undefined> {
      const hit = await cache.get<CachedRecord>(`record:${id}`);
      if (!hit) return undefined;
      if (hit.datasetVersion !== (await cache.get<string>(versionKey(hit.view.dataset_id))))
        return undefined;
      assertRecordAccess(principal, hit.policy, "read", { ownerId: hit.view.owner_id });
      return hit;
    },
    putRecord: (entry: CachedRecord) =>
      cache.set(`record:${entry.view.id}`, entry, RECORD_TTL_SECONDS),

    /** After any write: drop the records and make every cached record and query of their datasets stale. */
    async invalidate(recordIds: string[], datasetIds: string[]): Promise<void> {
      await Promise.all([
        recordIds.length ? cache.delete(...recordIds.map((id) => `record:${id}`)) : undefined,
        ...[...new Set(datasetIds)].map((id) => cache.set(versionKey(id), randomUUID(), 24 * 3600)),
      ]);
    },

    /** The cache key of a query over one dataset, for one owner scope (an owner id, or "all"). */
    async queryKey(datasetId: string, scope: string, normalizedQuery: string): Promise<string> {
      const version = await currentVersion(datasetId);
      const digest = createHash("sha256").update(normalizedQuery).digest("base64url");
      return `query:${datasetId}:${version}:${scope}:${digest}`;
    },
    getQuery: <T>(key: string) => cache.get<T>(key),
    putQuery: (key: string, value: unknown) => cache.set(key, value, QUERY_TTL_SECONDS),
  };
}
