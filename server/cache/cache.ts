import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";

import { isRedisReady } from "./redis";

export interface Cache {
  /** `undefined` when missing or expired. Values come back as JSON would give them. */
  get<T>(key: string): Promise<T | undefined>;
  /** Several keys in one round trip; each missing one is `undefined`, in the order asked. */
  getMany<T extends unknown[]>(...keys: { [I in keyof T]: string }): Promise<Partial<T>>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  deleteByPrefix(prefix: string): Promise<void>;
}

export type CreateMemoryCacheOptions = {
  /** Most entries kept; the least recently used go first. Default 10 000. */
  maxEntries?: number;
  /** Bound on the summed length of the stored JSON, in characters. Default 50 M. */
  maxSizeChars?: number;
};

/**
 * Values are stored as their JSON text so the memory cache behaves like Redis: a caller that
 * mutates what it got (or what it set) cannot change the cached copy, and a Date comes back as
 * the same string from either implementation.
 */
export function createMemoryCache(options: CreateMemoryCacheOptions = {}): Cache {
  const entries = new LRUCache<string, string>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxSizeChars ?? 50_000_000,
    sizeCalculation: (json, key) => json.length + key.length,
  });
  return {
    async get<T>(key: string) {
      const json = entries.get(key);
      return json === undefined ? undefined : (JSON.parse(json) as T);
    },
    async getMany<T extends unknown[]>(...keys: { [I in keyof T]: string }) {
      return keys.map((key) => {
        const json = entries.get(key);
        return json === undefined ? undefined : (JSON.parse(json) as unknown);
      }) as Partial<T>;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, toJson(value), { ttl: ttlMs(ttlSeconds) });
    },
    async delete(...keys) {
      for (const key of keys) entries.delete(key);
    },
    async deleteByPrefix(prefix) {
      for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}

export type CreateRedisCacheOptions = {
  redis: Redis;
  /** Prepended to every key, so the cache can share a Redis with other data. Default "lake:cache:". */
  namespace?: string;
  /** Serves while Redis is unreachable. Default: a fresh memory cache. */
  fallback?: Cache;
  /** Invalidations remembered during an outage before falling back to clearing the namespace. */
  maxPendingInvalidations?: number;
};

const SCAN_COUNT = 500;

/**
 * Redis when it answers, the memory fallback when it does not. Whatever was written or deleted
 * during an outage is stale in Redis when it comes back (another instance may read it), so those
 * keys and prefixes are remembered and deleted from Redis on reconnect; the fallback is emptied so
 * its values cannot resurface in a later outage.
 */
export function createRedisCache(options: CreateRedisCacheOptions): Cache {
  const { redis } = options;
  const namespace = options.namespace ?? "lake:cache:";
  const fallback = options.fallback ?? createMemoryCache();
  const maxPending = options.maxPendingInvalidations ?? 10_000;
  const staleKeys = new Set<string>();
  const stalePrefixes = new Set<string>();
  let clearNamespace = false;

  const markStale = (keys: string[], prefix?: string) => {
    for (const key of keys) staleKeys.add(key);
    if (prefix !== undefined) stalePrefixes.add(prefix);
    if (staleKeys.size + stalePrefixes.size > maxPending) clearNamespace = true;
  };

  const deleteKeys = async (keys: string[]) => {
    if (keys.length > 0) await redis.unlink(...keys.map((key) => namespace + key));
  };

  // SCAN walks the keyspace in small steps; KEYS would block Redis for every other client.
  const deletePrefix = async (prefix: string) => {
    const match = `${escapeGlob(namespace + prefix)}*`;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", SCAN_COUNT);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  };

  const reconcile = async () => {
    if (!clearNamespace && staleKeys.size === 0 && stalePrefixes.size === 0) return;
    const keys = [...staleKeys];
    const prefixes = clearNamespace ? [""] : [...stalePrefixes];
    staleKeys.clear();
    stalePrefixes.clear();
    clearNamespace = false;
    try {
      for (let i = 0; i < keys.length; i += SCAN_COUNT)
        await deleteKeys(keys.slice(i, i + SCAN_COUNT));
      for (const prefix of prefixes) await deletePrefix(prefix);
      await fallback.deleteByPrefix("");
    } catch {
      // Dropped again mid-way: keep everything stale until the next reconnect.
      markStale(keys);
      for (const prefix of prefixes) markStale([], prefix);
    }
  };
  let reconciling: Promise<void> | undefined;
  redis.on("ready", () => {
    reconciling = reconcile().finally(() => (reconciling = undefined));
  });

  /** Runs `viaRedis`, or `viaFallback` when Redis is down or the command fails. */
  const attempt = async <R>(
    viaRedis: () => Promise<R>,
    viaFallback: () => Promise<R>,
    stale?: () => void,
  ) => {
    if (reconciling) await reconciling;
    if (isRedisReady(redis)) {
      try {
        return await viaRedis();
      } catch {
        // Unreachable mid-command: fall through to the fallback.
      }
    }
    stale?.();
    return viaFallback();
  };

  return {
    get<T>(key: string) {
      return attempt(
        async () => {
          const json = await redis.get(namespace + key);
          return json === null ? undefined : (JSON.parse(json) as T);
        },
        () => fallback.get<T>(key),
      );
    },
    getMany<T extends unknown[]>(...keys: { [I in keyof T]: string }) {
      return attempt(
        async () => {
          const values = await redis.mget(...keys.map((key) => namespace + key));
          return values.map((json) =>
            json === null ? undefined : (JSON.parse(json) as unknown),
          ) as Partial<T>;
        },
        () => fallback.getMany<T>(...keys),
      );
    },
    async set(key, value, ttlSeconds) {
      const json = toJson(value);
      const px = ttlMs(ttlSeconds);
      return attempt(
        async () => {
          await redis.set(namespace + key, json, "PX", px);
        },
        () => fallback.set(key, value, ttlSeconds),
        () => markStale([key]),
      );
    },
    delete(...keys) {
      return attempt(
        () => deleteKeys(keys),
        () => fallback.delete(...keys),
        () => markStale(keys),
      );
    },
    deleteByPrefix(prefix) {
      return attempt(
        () => deletePrefix(prefix),
        () => fallback.deleteByPrefix(prefix),
        () => markStale([], prefix),
      );
    },
  };
}

function toJson(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError("cache values must be JSON-serialisable");
  return json;
}

function ttlMs(ttlSeconds: number): number {
  if (!(ttlSeconds > 0)) throw new RangeError(`cache TTL must be positive, got ${ttlSeconds}`);
  return Math.max(1, Math.round(ttlSeconds * 1000));
}

/** SCAN MATCH treats these as glob syntax; a prefix is literal. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
}
