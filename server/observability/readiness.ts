import { type Database } from "../db/client";
import { VERSION } from "../version";

const CHECK_TIMEOUT_MS = 2_000;

export type DependencyStatus = "up" | "down" | "not_configured";

export type DatabaseCheck = {
  status: "up" | "down";
  critical: true;
  mode: Database["mode"];
  latencyMs: number;
  migrations?: { applied: number; latest: string | null };
  error?: string;
};

export type RedisCheck = {
  status: DependencyStatus;
  critical: false;
  latencyMs?: number;
  error?: string;
};

export type StreamServiceCheck = {
  /** down: the circuit to Datapunk Stream is open; the Lake keeps ingesting and catches it up. */
  status: DependencyStatus;
  critical: false;
  breaker?: "closed" | "open" | "half-open";
  /** Events in the log that Datapunk Stream has not processed yet. */
  lagEvents?: number;
  error?: string;
};

export type ReadinessReport = {
  /** ok: all up; degraded: a non-critical dependency is down; unavailable: a critical one is. */
  status: "ok" | "degraded" | "unavailable";
  version: string;
  uptimeSeconds: number;
  checks: { database: DatabaseCheck; redis: RedisCheck; streamService: StreamServiceCheck };
};

/** The forwarder's state, or undefined when STREAM_GRPC_URL is not set. */
export type StreamServiceState = () => Promise<
  { breaker: "closed" | "open" | "half-open"; lag?: number; lastError?: string } | undefined
>;

async function checkStreamService(state?: StreamServiceState): Promise<StreamServiceCheck> {
  const current = await state?.();
  if (!current) return { status: "not_configured", critical: false };
  return {
    status: current.breaker === "open" ? "down" : "up",
    critical: false,
    breaker: current.breaker,
    ...(current.lag === undefined ? {} : { lagEvents: current.lag }),
    ...(current.lastError ? { error: current.lastError } : {}),
  };
}

export type RedisPing = () => Promise<{
  status: DependencyStatus;
  latencyMs?: number;
  error?: string;
}>;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

async function checkDatabase(db: Database): Promise<DatabaseCheck> {
  const started = performance.now();
  const latencyMs = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const { rows } = await withTimeout(
      db.pool.query<{ applied: number; latest: string | null }>(
        `select count(*)::int as applied, max(migration_name) as latest
           from _prisma_migrations where finished_at is not null and rolled_back_at is null`,
      ),
      CHECK_TIMEOUT_MS,
    );
    return {
      status: "up",
      critical: true,
      mode: db.mode,
      latencyMs: latencyMs(),
      migrations: rows[0],
    };
  } catch (error) {
    return {
      status: "down",
      critical: true,
      mode: db.mode,
      latencyMs: latencyMs(),
      error: (error as Error).message || "unreachable",
    };
  }
}

/** The readiness checks behind GET /ready and the console's dashboard. */
export async function checkReadiness(options: {
  db: Database;
  pingRedis: RedisPing;
  streamService?: StreamServiceState;
}): Promise<ReadinessReport> {
  const [database, redis, streamService] = await Promise.all([
    checkDatabase(options.db),
    withTimeout(options.pingRedis(), CHECK_TIMEOUT_MS).catch(
      (error: Error): Awaited<ReturnType<RedisPing>> => ({ status: "down", error: error.message }),
    ),
    withTimeout(checkStreamService(options.streamService), CHECK_TIMEOUT_MS).catch(
      (error: Error): StreamServiceCheck => ({
        status: "down",
        critical: false,
        error: error.message,
      }),
    ),
  ]);
  const status =
    database.status === "down"
      ? "unavailable"
      : redis.status === "down" || streamService.status === "down"
        ? "degraded"
        : "ok";
  return {
    status,
    version: VERSION,
    uptimeSeconds: Math.round(process.uptime()),
    checks: { database, redis: { ...redis, critical: false }, streamService },
  };
}
