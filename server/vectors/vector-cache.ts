import { createHash, randomUUID } from "node:crypto";

import { type CacheServices } from "../cache/cache-services";
import { dataChanges } from "../data/data-changes";
import { recordCache } from "../data/records/record-cache";

const VERSION_KEY = "vectors:version";
const VERSION_TTL_SECONDS = 24 * 3600;
const SEARCH_TTL_SECONDS = 30;

/**
 * Cached search results. A result depends on the embeddings (any type: one version for all,
 * replaced on every embedding write or delete — coarse, but one key and never wrong) and on the
 * records of the dataset searched (its version from record-cache.ts moves on every record write,
 * archive, delete and policy change). A key holds both versions, the caller's owner scope and a
 * digest of the query, so an entry is never served across owners or after a change.
 */
export function vectorCache(services: CacheServices) {
  const { cache } = services;
  const currentVersion = async (): Promise<string> => {
    let version = await cache.get<string>(VERSION_KEY);
    if (!version) {
      version = randomUUID();
      await cache.set(VERSION_KEY, version, VERSION_TTL_SECONDS);
    }
    return version;
  };
  return {
    /** After any embedding change (REST, bulk, import): every cached search is stale. */
    invalidate: () =>
      Promise.all([
        cache.set(VERSION_KEY, randomUUID(), VERSION_TTL_SECONDS),
        services.changes.mark([dataChanges.embeddings]),
      ]).then(() => undefined),

    /** Read the versions before the search runs, so a concurrent write is never cached as new. */
    async searchKey(datasetId: string, scope: string, query: unknown): Promise<string> {
      const [vectors, dataset] = await Promise.all([
        currentVersion(),
        recordCache(services).currentVersion(datasetId),
      ]);
      const digest = createHash("sha256").update(JSON.stringify(query)).digest("base64url");
      return `vsearch:${datasetId}:${dataset}:${vectors}:${scope}:${digest}`;
    },
    get: <T>(key: string) => cache.get<T>(key),
    put: (key: string, value: unknown) => cache.set(key, value, SEARCH_TTL_SECONDS),
  };
}
