import type { Redis } from "ioredis";

import { type Cache, createMemoryCache, createRedisCache } from "./cache";
import { type ChangeClock, createMemoryChangeClock, createRedisChangeClock } from "./change-clock";
import {
  type CreatePubSubOptions,
  createMemoryPubSub,
  createRedisPubSub,
  type PubSub,
} from "./pubsub";
import { createJobQueue } from "./create-job-queue";
import { type CreateJobQueueOptions, type JobQueue } from "./queue";
import { createRateLimiter } from "./create-rate-limiter";
import { type CreateRateLimiterOptions, type RateLimiter } from "./rate-limit";
import { closeRedis, createRedisConnection, pingRedis, waitForRedis } from "./redis";

export type CachePing = {
  /** "down" means degraded (in-process fallbacks), not unavailable: Redis is non-critical. */
  status: "up" | "down" | "not_configured";
  latencyMs?: number;
  error?: string;
};

export type CacheServices = {
  /** "redis" whenever REDIS_URL is set, even while Redis is down (see `ping`). */
  mode: "redis" | "memory";
  /** The shared fail-fast client, for whoever needs Redis directly. */
  redis?: Redis;
  cache: Cache;
  /** What changed when, on a tick every instance shares (caches that must never serve stale). */
  changes: ChangeClock;
  pubsub: PubSub;
  createRateLimiter(opts: Omit<CreateRateLimiterOptions, "redis">): RateLimiter;
  createJobQueue<T>(opts: Omit<CreateJobQueueOptions, "redis">): JobQueue<T>;
  ping(): Promise<CachePing>;
  /** Closes the job queues made here (waiting for running jobs), pub/sub, then Redis. */
  close(): Promise<void>;
};

export type CreateCacheServicesOptions = CreatePubSubOptions & {
  /** Unset: every concern runs in-process. */
  redisUrl?: string;
  /** Prefix of every Redis key and channel, for deployments sharing one Redis. Default "lake:". */
  namespace?: string;
  /** Shown in Redis's CLIENT LIST. Default "lake". */
  connectionName?: string;
};

/**
 * The one place that picks the implementations. With a URL it waits briefly (≤ 2 s) for Redis so
 * the first requests do not all start on the fallbacks, but never fails: an instance whose Redis
 * is down starts degraded and moves to Redis when it answers.
 */
export async function createCacheServices(
  options: CreateCacheServicesOptions = {},
): Promise<CacheServices> {
  const namespace = options.namespace ?? "lake:";
  // Queues made here close with the services; one closed earlier by its owner drops out.
  const queueClosers = new Set<() => Promise<void>>();
  const track = <T>(queue: JobQueue<T>): JobQueue<T> => {
    const close = async () => {
      queueClosers.delete(close);
      await queue.close();
    };
    queueClosers.add(close);
    return {
      add: (data, opts) => queue.add(data, opts),
      process: (handler, opts) => queue.process(handler, opts),
      depth: () => queue.depth(),
      close,
    };
  };
  const closeQueues = () => Promise.all([...queueClosers].map((close) => close()));

  if (!options.redisUrl) {
    const pubsub = createMemoryPubSub(options);
    return {
      mode: "memory",
      cache: createMemoryCache(),
      changes: createMemoryChangeClock(),
      pubsub,
      createRateLimiter: (opts) => createRateLimiter(opts),
      createJobQueue: (opts) => track(createJobQueue(opts)),
      ping: async () => ({ status: "not_configured" }),
      async close() {
        await closeQueues();
        await pubsub.close();
      },
    };
  }

  const { redisUrl } = options;
  const redis = createRedisConnection(redisUrl, { name: options.connectionName ?? "lake" });
  await waitForRedis(redis);
  const pubsub = createRedisPubSub({ ...options, redis, namespace: `${namespace}pubsub:` });
  return {
    mode: "redis",
    redis,
    cache: createRedisCache({ redis, namespace: `${namespace}cache:` }),
    changes: createRedisChangeClock({ redis, namespace: `${namespace}changes:` }),
    pubsub,
    createRateLimiter: (opts) =>
      createRateLimiter({ ...opts, redis, keyPrefix: `${namespace}rl:${opts.keyPrefix}` }),
    // From the URL, not the shared client: BullMQ needs connections configured its own way.
    createJobQueue: (opts) =>
      track(createJobQueue({ ...opts, redis: redisUrl, prefix: `${namespace}bull` })),
    async ping() {
      const result = await pingRedis(redis);
      return {
        status: result.ok ? "up" : "down",
        latencyMs: result.latencyMs,
        error: result.error,
      };
    },
    async close() {
      await closeQueues();
      await pubsub.close();
      await closeRedis(redis);
    },
  };
}
