// What every process of the Lake starts with — the web server (main.ts) and a worker (worker.ts):
// configuration (exit 1 with one line naming a bad variable), the database with its migrations,
// and the cache services (Redis or in-process), registered where every module finds them.
import { setCacheServices } from "./cache/client";
import { createCacheServices } from "./cache/cache-services";
import { setDatabase } from "./db/client";
import { startDatabase } from "./db/database";
import { EnvError, env, exportLibraryEnv, type Env } from "./env";
import { logger } from "./observability/logger";

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

export async function bootServices(config: Env, connectionName: string) {
  exportLibraryEnv(config);
  const log = logger();

  const db = await startDatabase({
    url: config.DATABASE_URL,
    dataDir: config.dataDir,
    poolSize: config.LAKE_DB_POOL_SIZE,
    statementTimeoutMs: config.LAKE_STATEMENT_TIMEOUT_MS,
  });
  setDatabase(db);
  log.info({ mode: db.mode }, "database ready");

  const cache = await createCacheServices({
    redisUrl: config.REDIS_URL,
    namespace: config.LAKE_REDIS_PREFIX,
    connectionName,
  });
  setCacheServices(cache);
  log.info({ mode: cache.mode }, "cache services ready");
  return { log, db, cache };
}
