import { afterAll, beforeAll } from "vitest";

import { setCacheServices } from "../cache/client";
import { createCacheServices, type CacheServices } from "../cache/cache-services";
import { setDatabase } from "../db/client";
import { useTestDatabase } from "./test-database";

/**
 * What a route handler finds in a running process — a migrated database and the cache services —
 * installed for a suite, so tests call the real handlers (`GET(request)`) with no server around.
 * With a Redis URL, limits and caches go through that Redis under a namespace of the suite's own.
 */
export function useTestServices(backend: { url?: string }, redisUrl?: string) {
  const db = useTestDatabase(backend);
  let cache: CacheServices | undefined;
  beforeAll(async () => {
    cache = await createCacheServices({ redisUrl, namespace: `lake-test:${crypto.randomUUID()}:` });
    setDatabase(db());
    setCacheServices(cache);
  });
  afterAll(async () => {
    setCacheServices(undefined);
    setDatabase(undefined);
    await cache?.close();
  });
  return { db, cache: () => cache! };
}
