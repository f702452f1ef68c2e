import { afterAll, beforeAll } from "vitest";

import { payloadIndexUpkeepSettled } from "../data/datasets/payload-index-upkeep";
import { setCacheServices } from "../cache/client";
import { createCacheServices, type CacheServices } from "../cache/cache-services";
import { setDatabase } from "../db/client";
import {
  startStreamServices,
  type StreamConfig,
  type StreamServices,
} from "../stream/stream-services";
import { useTestDatabase } from "./test-database";

const STREAM_DEFAULTS: Omit<StreamConfig, "LAKE_REDIS_PREFIX"> = {
  LAKE_BUS_PARTITIONS: 2,
  LAKE_BUS_MAX_LENGTH: 10_000,
  LAKE_BUS_RETENTION_SECONDS: 3600,
  LAKE_EVENT_RETENTION_HOURS: 24,
  LAKE_STREAM_SEND_BUFFER_BYTES: 4 * 1024 * 1024,
};

/**
 * What a route handler finds in a running process — a migrated database, the cache services and
 * the stream's bus and tail —
 * installed for a suite, so tests call the real handlers (`GET(request)`) with no server around.
 * With a Redis URL, limits and caches go through that Redis under a namespace of the suite's own.
 */
export function useTestServices(backend: { url?: string }, redisUrl?: string) {
  const db = useTestDatabase(backend);
  let cache: CacheServices | undefined;
  let stream: StreamServices | undefined;
  // Its own Redis keys, so suites running at once (and a second "instance" a test makes) agree.
  const namespace = `lake-test:${crypto.randomUUID()}:`;
  beforeAll(async () => {
    cache = await createCacheServices({ redisUrl, namespace });
    setDatabase(db());
    setCacheServices(cache);
    stream = await startStreamServices({
      db: db(),
      cache,
      config: { ...STREAM_DEFAULTS, LAKE_REDIS_PREFIX: namespace },
    });
  });
  afterAll(async () => {
    // A dataset change of the suite may have started a pass; it must not outlive the database.
    await payloadIndexUpkeepSettled();
    await stream?.close();
    setCacheServices(undefined);
    setDatabase(undefined);
    await cache?.close();
  });
  return { db, cache: () => cache!, stream: () => stream!, namespace };
}
