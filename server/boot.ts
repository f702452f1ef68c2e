// What every process of the Lake starts with — the web server (main.ts) and a worker (worker.ts):
// configuration (exit 1 with one line naming a bad variable), tracing (when configured), the
// database with its migrations, and the cache services (Redis or in-process), registered where
// every module finds them.
import { hostname } from "node:os";

import { setCacheServices } from "./cache/client";
import { createCacheServices } from "./cache/cache-services";
import { setDatabase } from "./db/client";
import { startDatabase } from "./db/database";
import { EnvError, env, exportLibraryEnv, type Env } from "./env";
import { registerQueueMetrics } from "./cache/queue-metrics";
import { registerRedisMetrics } from "./cache/redis-metrics";
import { registerPoolMetrics } from "./db/pool-metrics";
import { logger } from "./observability/logger";
import { labelMetricsWith } from "./observability/metrics";
import { startTracing } from "./observability/tracing";
import { breakerSnapshots } from "./resilience/circuit-breakers";
import { registerResilienceMetrics } from "./resilience/resilience-metrics";

export function loadConfigOrExit(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export async function bootServices(
  config: Env,
  role: {
    /** Shown in Redis's CLIENT LIST. */
    connectionName: string;
    /** The port Prometheus scrapes it on: the default of its `lake_instance` label. */
    metricsPort: number;
  },
) {
  exportLibraryEnv(config);
  labelMetricsWith(config.LAKE_INSTANCE_ID ?? `${hostname()}:${role.metricsPort}`);
  const log = logger();
  // First, so the first request, query and job are traced (nothing is patched: order only matters
  // for what runs before it).
  const tracing = await startTracing(config);

  const db = await startDatabase({
    url: config.DATABASE_URL,
    dataDir: config.dataDir,
    poolSize: config.LAKE_DB_POOL_SIZE,
    statementTimeoutMs: config.LAKE_STATEMENT_TIMEOUT_MS,
  });
  setDatabase(db);
  registerPoolMetrics(db.pool);
  log.info({ mode: db.mode }, "database ready");

  const cache = await createCacheServices({
    redisUrl: config.REDIS_URL,
    namespace: config.LAKE_REDIS_PREFIX,
    connectionName: role.connectionName,
  });
  setCacheServices(cache);
  registerRedisMetrics(cache);
  registerQueueMetrics();
  registerResilienceMetrics(breakerSnapshots);
  log.info({ mode: cache.mode }, "cache services ready");
  return { log, db, cache, tracing };
}

/** A stop signal this soon after the first is the same stop, delivered twice. */
const REPEATED_SIGNAL_MS = 1_000;

/**
 * SIGTERM or SIGINT starts `stop` once. The same stop often arrives twice at once — a terminal's
 * Ctrl-C reaches both npm's launcher (scripts/start.mjs, which passes it on) and this process;
 * systemd signals the whole group — so only a signal a second or more later calls `force`.
 */
export function onStopSignals(handlers: {
  stop: (signal: NodeJS.Signals) => Promise<void>;
  force: (signal: NodeJS.Signals) => void;
}): void {
  let firstAt: number | undefined;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (firstAt === undefined) {
        firstAt = Date.now();
        void handlers.stop(signal);
      } else if (Date.now() - firstAt >= REPEATED_SIGNAL_MS) {
        handlers.force(signal);
      }
    });
  }
}
