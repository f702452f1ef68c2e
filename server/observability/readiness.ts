import { type Database } from "../db/client";
import { type BreakerStateName } from "../resilience/circuit-breakers";
import { OPTIONAL_DEPENDENCIES, type OptionalDependency } from "../resilience/dependencies";
import { VERSION } from "../version";

const CHECK_TIMEOUT_MS = 2_000;

export type DependencyStatus = "up" | "down" | "not_configured";

export type PostgresCheck = {
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

/** Datapunk Stream, Cortex: not probed, judged by their circuit breakers. */
export type OptionalDependencyCheck = {
  /** down: its circuit is open, calls to it fail fast; the Lake serves on without it. */
  status: DependencyStatus;
  critical: false;
  breaker?: BreakerStateName;
  /** While the circuit is open: seconds until the breaker lets a trial call through. */
  retryAfterSeconds?: number;
  /** Datapunk Stream: events in the log it has not processed yet. */
  lagEvents?: number;
  error?: string;
};

export type ReadinessReport = {
  /**
   * ok: all up; degraded: a non-critical dependency is down; unavailable: PostgreSQL (critical)
   * is; draining: the instance is shutting down (SIGTERM) and finishing what is in flight.
   */
  status: "ok" | "degraded" | "unavailable" | "draining";
  version: string;
  uptimeSeconds: number;
  /** PostgreSQL, Redis, then the optional dependencies, by the seed's names. */
  checks: ReadinessChecks;
};

/** One flat object type (not an intersection), so it equals the OpenAPI schema's output type. */
export type ReadinessChecks = {
  [K in "postgres" | "redis" | OptionalDependency]: K extends "postgres"
    ? PostgresCheck
    : K extends "redis"
      ? RedisCheck
      : OptionalDependencyCheck;
};

/** An optional dependency's state as its client knows it. */
export type DependencyState = {
  breaker: BreakerStateName;
  retryAfterMs?: number;
  lag?: number;
  lastError?: string;
};

/** Undefined when this instance is not configured to use the dependency. */
export type DependencyProbe = () => Promise<DependencyState | undefined>;

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

async function checkOptional(probe?: DependencyProbe): Promise<OptionalDependencyCheck> {
  const state = await probe?.();
  if (!state) return { status: "not_configured", critical: false };
  return {
    status: state.breaker === "open" ? "down" : "up",
    critical: false,
    breaker: state.breaker,
    ...(state.retryAfterMs === undefined
      ? {}
      : { retryAfterSeconds: Math.ceil(state.retryAfterMs / 1000) }),
    ...(state.lag === undefined ? {} : { lagEvents: state.lag }),
    ...(state.lastError ? { error: state.lastError } : {}),
  };
}

async function checkPostgres(db: Database): Promise<PostgresCheck> {
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
  /** The optional dependencies this instance uses; one without a probe is `not_configured`. */
  dependencies?: Partial<Record<OptionalDependency, DependencyProbe>>;
  /** From SIGTERM on: not ready, whatever the checks say. */
  draining?: boolean;
}): Promise<ReadinessReport> {
  const [postgres, redis, ...optional] = await Promise.all([
    checkPostgres(options.db),
    withTimeout(options.pingRedis(), CHECK_TIMEOUT_MS).catch(
      (error: Error): Awaited<ReturnType<RedisPing>> => ({ status: "down", error: error.message }),
    ),
    ...OPTIONAL_DEPENDENCIES.map((kind) =>
      withTimeout(checkOptional(options.dependencies?.[kind]), CHECK_TIMEOUT_MS).catch(
        (error: Error): OptionalDependencyCheck => ({
          status: "down",
          critical: false,
          error: error.message,
        }),
      ),
    ),
  ]);
  const optionalChecks = Object.fromEntries(
    OPTIONAL_DEPENDENCIES.map((kind, index) => [kind, optional[index]!]),
  ) as Record<OptionalDependency, OptionalDependencyCheck>;
  const status = options.draining
    ? "draining"
    : postgres.status === "down"
      ? "unavailable"
      : redis.status === "down" || optional.some((check) => check.status === "down")
        ? "degraded"
        : "ok";
  return {
    status,
    version: VERSION,
    uptimeSeconds: Math.round(process.uptime()),
    checks: { postgres, redis: { ...redis, critical: false }, ...optionalChecks },
  };
}
