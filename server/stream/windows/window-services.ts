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
  // Where this engine begins: every event committed before `at` is at or before `head`.
  const start = await selectLogBounds(db);
  if (cache.redis) {
    const redis = cache.redis;
    const namespace = `${options.config.LAKE_REDIS_PREFIX}win:`;
    // The first worker ever decides where the engine began ("offset@time"; the first version
    // stored the offset alone), and every later one agrees — until Redis loses it, and the
    // engine begins again at the head as it is then. Asked when the engine needs it, so an
    // instance whose Redis is away still starts.
    let first: typeof start | undefined = start;
    const origin = async () => {
      const { head, at } = first ?? (await selectLogBounds(db));
      first = undefined;
      await redis.set(`${namespace}origin`, `${head}@${at}`, "NX");
      const [offset, through] = ((await redis.get(`${namespace}origin`)) ?? "").split("@");
      return offset
        ? { offset: BigInt(offset), through: Number(through ?? 0) }
        : { offset: BigInt(head), through: at };
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
  const here = { offset: BigInt(start.head), through: start.at };
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
