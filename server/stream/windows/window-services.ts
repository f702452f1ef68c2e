import { randomUUID } from "node:crypto";

import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";
import { type Env } from "../../env";
import { registerAlertMetrics } from "../alerts/alert-metrics";
import { evaluateAlerts } from "../alerts/evaluate-alerts";
import { selectLogBounds } from "../events/stream-events.queries";
import { createMemoryWindowStore } from "./memory-window-store";
import { createRedisWindowStore } from "./redis-window-store";
import { startWindowEngine, type WindowEngine } from "./window-engine";
import { allPartitions, redisPartitionLeases, WINDOW_PARTITIONS } from "./window-partitions";
import { loadWindowCheckpoint, storeClosedWindows } from "./windows.queries";

/**
 * Starts this process's window engine: with Redis, a worker among any number sharing the store
 * and the log's partitions; without, the instance's only one, resuming from its checkpoint.
 */
export async function startWindows(options: {
  db: Database;
  cache: CacheServices;
  config: Pick<Env, "LAKE_REDIS_PREFIX" | "LAKE_WINDOW_LEASE_SECONDS">;
  onLogGrowth?: (notify: () => void) => () => void;
}): Promise<WindowEngine> {
  const { db, cache } = options;
  registerAlertMetrics(db);
  // The engine begins at the log's head, which holds every event committed before this time.
  const readAt = Date.now();
  const { head } = await selectLogBounds(db);
  const here = { offset: BigInt(head), through: readAt };
  if (cache.redis) {
    const redis = cache.redis;
    const namespace = `${options.config.LAKE_REDIS_PREFIX}win:`;
    // The first worker ever decides where the engine began ("offset@time"; the first version
    // stored the offset alone); every later one agrees. Asked when the engine first needs it, so
    // an instance whose Redis is away still starts.
    const origin = async () => {
      await redis.set(`${namespace}origin`, `${head}@${readAt}`, "NX");
      const [offset, through] = ((await redis.get(`${namespace}origin`)) ?? "").split("@");
      return offset ? { offset: BigInt(offset), through: Number(through ?? 0) } : here;
    };
    return startWindowEngine({
      db,
      store: createRedisWindowStore({ redis: cache.redis, namespace }),
      leases: redisPartitionLeases({
        redis: cache.redis,
        namespace,
        workerId: randomUUID(),
        leaseMs: options.config.LAKE_WINDOW_LEASE_SECONDS * 1000,
      }),
      refreshMs: Math.min(2000, (options.config.LAKE_WINDOW_LEASE_SECONDS * 1000) / 3),
      origin,
      onLogGrowth: options.onLogGrowth,
      onWindowsStored: evaluateAlerts,
    });
  }
  const checkpoint = await loadWindowCheckpoint(db);
  const store = createMemoryWindowStore(checkpoint);
  if (checkpoint === undefined) {
    // Where this instance began, written before anything is applied: a crash before the first
    // window closes still resumes here rather than at a later head.
    await store.appliedPositions(
      Array.from({ length: WINDOW_PARTITIONS }, (_, p) => p),
      here,
    );
    await storeClosedWindows(db, {
      windows: [],
      late: [],
      checkpoint: store.durableState?.({ keys: [], late: [] }),
    });
  }
  return startWindowEngine({
    db,
    store,
    leases: allPartitions(),
    origin: here,
    onLogGrowth: options.onLogGrowth,
    onWindowsStored: evaluateAlerts,
  });
}
