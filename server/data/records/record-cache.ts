import { createHash, randomUUID } from "node:crypto";

import { LRUCache } from "lru-cache";

import { assertRecordAccess, type ResourcePolicy } from "../../auth/resource-policy";
import { type Principal } from "../../auth/principal";
import { type CacheServices } from "../../cache/cache-services";
import { singleton } from "../../singleton";
import { dataChanges } from "../data-changes";
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
 * Which dataset each record belongs to, as far as this process has seen: a record never changes
 * dataset, so this is never stale. Knowing it lets a read fetch the cached record and its dataset's
 * version in one round trip, and take the version before a database read (no re-check needed).
 */
const datasetOfRecord = () =>
  singleton("record-datasets", () => new LRUCache<string, string>({ max: 50_000 }));

export type RecordLookup =
  | { hit: CachedRecord }
  | {
      hit?: undefined;
      /** The record's dataset and its version read before any database read, when known. */
      datasetId?: string;
      datasetVersion?: string;
    };

/**
 * Hot reads from the cache (Redis, or in-process). A cached record keeps its dataset's policy, and
 * the policy is checked against the caller on every hit, so nothing is served across owners.
 * Every write to a dataset — and every change to the dataset itself (policy, deletion) — replaces
 * its version; cached records and query results carry the version they were read under, and a
 * hit under an older version is a miss.
 */
export function recordCache({ cache, changes }: CacheServices) {
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

    /** Records seen being written or read, so later reads of them take the one-trip path. */
    rememberDataset(recordIds: string[], datasetId: string): void {
      for (const id of recordIds) datasetOfRecord().set(id, datasetId);
    },

    async lookupRecord(principal: Principal, id: string): Promise<RecordLookup> {
      const datasetId = datasetOfRecord().get(id);
      let hit: CachedRecord | undefined;
      let version: string | undefined;
      if (datasetId) {
        [hit, version] = await cache.getMany<[CachedRecord, string]>(
          `record:${id}`,
          versionKey(datasetId),
        );
        if (!hit || hit.datasetVersion !== version)
          return { datasetId, datasetVersion: version ?? (await currentVersion(datasetId)) };
      } else {
        hit = await cache.get<CachedRecord>(`record:${id}`);
        if (!hit) return {};
        datasetOfRecord().set(id, hit.view.dataset_id);
        if (hit.datasetVersion !== (await cache.get<string>(versionKey(hit.view.dataset_id))))
          return {};
      }
      assertRecordAccess(principal, hit.policy, "read", { ownerId: hit.view.owner_id });
      return { hit };
    },
    putRecord: (entry: CachedRecord) =>
      cache.set(`record:${entry.view.id}`, entry, RECORD_TTL_SECONDS),

    /**
     * After any write: drop the records and make every cached record and query of their datasets
     * stale, here and in any other cache that depends on those datasets (the change clock).
     */
    async invalidate(recordIds: string[], datasetIds: string[]): Promise<void> {
      const datasets = [...new Set(datasetIds)];
      await Promise.all([
        recordIds.length ? cache.delete(...recordIds.map((id) => `record:${id}`)) : undefined,
        ...datasets.map((id) => cache.set(versionKey(id), randomUUID(), 24 * 3600)),
        changes.mark([...datasets.map(dataChanges.dataset), dataChanges.anyRecord]),
      ]);
    },

    /**
     * A cached query result over one dataset, for one owner scope (an owner id, or "all"), with
     * the dataset's version fetched in the same round trip. On a miss, `store` files the result
     * under that version — read before the query runs, so a concurrent write is never cached
     * under the version that follows it.
     */
    async lookupQuery<T>(datasetId: string, scope: string, normalizedQuery: string) {
      const digest = createHash("sha256").update(normalizedQuery).digest("base64url");
      const key = `query:${datasetId}:${scope}:${digest}`;
      const [entry, current] = await cache.getMany<[{ version: string; value: T }, string]>(
        key,
        versionKey(datasetId),
      );
      if (entry && current !== undefined && entry.version === current)
        return { hit: entry.value } as const;
      const version = current ?? (await currentVersion(datasetId));
      return {
        hit: undefined,
        store: (value: T) => cache.set(key, { version, value }, QUERY_TTL_SECONDS),
      } as const;
    },
  };
}
