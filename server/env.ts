import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * All configuration, parsed once with zod. Nothing else in the project reads `process.env`.
 * A bad value stops the process with one line naming the variable (see `EnvError`).
 */

const bytes = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" })
  .optional();
const redisUrl = z
  .url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" })
  .optional();
const secret = z.string().min(32, "must be at least 32 characters").optional();
const emptyAsUndefined = (value: unknown) => (value === "" ? undefined : value);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: an embedded PostgreSQL (PGlite + pgvector) under LAKE_DATA_DIR. */
  DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl),
  /** Unset: in-process cache, rate limits, pub/sub and queue. */
  REDIS_URL: z.preprocess(emptyAsUndefined, redisUrl),
  LAKE_DATA_DIR: z.string().min(1).default(".data"),
  /** Prefix of every Redis key and channel: several deployments (or test runs) can share a Redis. */
  LAKE_REDIS_PREFIX: z
    .string()
    .regex(/^[\w.:-]{1,64}$/)
    .default("lake:"),
  LAKE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  LAKE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Signs session cookies and API tokens. Generated and kept under LAKE_DATA_DIR when unset. */
  LAKE_AUTH_SECRET: z.preprocess(emptyAsUndefined, secret),
  /** Encrypts secrets at rest (TOTP). Generated and kept under LAKE_DATA_DIR when unset. */
  LAKE_ENCRYPTION_KEY: z.preprocess(emptyAsUndefined, secret),
  LAKE_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email().optional()),
  LAKE_ADMIN_PASSWORD: z.preprocess(
    emptyAsUndefined,
    z.string().min(12, "must be at least 12 characters").optional(),
  ),
  /** API keys expire after this many days unless created with another expiry (seed: 90). */
  LAKE_API_KEY_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** How long a rotated API key keeps working next to its replacement. */
  LAKE_API_KEY_ROTATION_GRACE_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 90)
    .default(24),
  /** Requests per principal per hour on /api/v1/lake/data (seed: 1000). */
  LAKE_RATE_LIMIT_DATA_PER_HOUR: z.coerce.number().int().min(1).default(1000),
  /** Sign-in, token and MFA attempts per account and per IP per 15 minutes. */
  LAKE_RATE_LIMIT_AUTH_PER_15_MIN: z.coerce.number().int().min(1).default(10),
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (else the socket's address). */
  LAKE_TRUST_PROXY: z.stringbool().default(false),
  /** The console's public URL (https://lake.example.com); unset: taken from each request's Host. */
  LAKE_PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** Read by scripts/server-process.mjs, which starts node with it; here to be documented once. */
  LAKE_MAX_HEAP_MB: z.coerce.number().int().min(256).default(1024),
  LAKE_MAX_BODY_BYTES: bytes(10 * 1024 * 1024),
  LAKE_UPLOAD_MAX_BYTES: bytes(5 * 1024 ** 3),
  /** Resumable uploads in flight (created, not finished) per principal (seed: 5). */
  LAKE_IMPORT_MAX_CONCURRENT_UPLOADS: z.coerce.number().int().min(1).default(5),
  /** An unfinished upload that receives nothing for this long expires and is deleted (seed: 30 min). */
  LAKE_IMPORT_UPLOAD_EXPIRY_SECONDS: z.coerce.number().int().min(1).default(1800),
  /** Above this share of rejected rows an import fails and loads nothing (per import: `error_rate`). */
  LAKE_IMPORT_ERROR_RATE: z.coerce.number().min(0).max(1).default(0.01),
  /** Rows per transform batch handed to a worker thread (seed: 10000). */
  LAKE_IMPORT_TRANSFORM_BATCH: z.coerce.number().int().min(1).default(10_000),
  /** Rows per load transaction (seed: 5000). */
  LAKE_IMPORT_LOAD_BATCH: z.coerce.number().int().min(1).default(5_000),
  /**
   * Load transactions one import's pass has in flight at once, each on a connection of its own
   * (docs/decisions/0020).
   */
  LAKE_IMPORT_LOAD_CONNECTIONS: z.coerce.number().int().min(1).max(16).default(2),
  /** Transform worker threads per instance (seed: 4); 0 transforms on the main thread. */
  LAKE_IMPORT_WORKERS: z.coerce.number().int().min(0).max(64).default(4),
  /**
   * The validation stage's time limit (seed: 300 s), per batch: a pass that finishes no batch for
   * this long is retried from its last checkpoint, then fails (docs/decisions/0018).
   */
  LAKE_IMPORT_VALIDATION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(300),
  /** How often a running validation saves its checkpoint, which a retried run resumes from. */
  LAKE_IMPORT_CHECKPOINT_SECONDS: z.coerce.number().min(0).default(5),
  /** Requests per principal per hour on /api/v1/lake/import (tus chunks and job calls). */
  LAKE_RATE_LIMIT_IMPORT_PER_HOUR: z.coerce.number().int().min(1).default(1000),
  /**
   * Open WebSockets on /api/v1/lake/stream per instance; more answer 503. An idle one costs ~13 KB
   * of RSS (measured), so the default stays near 15 MB.
   */
  LAKE_WS_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(1000),
  /** Open WebSockets per user on one instance (sessions, tokens and keys together); more: 429. */
  LAKE_WS_MAX_CONNECTIONS_PER_PRINCIPAL: z.coerce.number().int().min(1).default(20),
  /** How often an open WebSocket's credential is checked again (revoked, expired, user disabled). */
  LAKE_WS_RECHECK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** The most an operation may cost at the GraphQL door (its cost is in each result's extensions). */
  LAKE_GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(5000),
  /** GraphQL introspection (the schema, for tools): on by default except in production. */
  LAKE_GRAPHQL_INTROSPECTION: z.stringbool().optional(),
  /**
   * Seconds a GraphQL query's result may be served from the response cache (0: never). Changes to
   * what it read make it stale at once; analytics answers live at most 10 s.
   */
  LAKE_GRAPHQL_CACHE_TTL: z.coerce.number().int().min(0).max(3600).default(30),
  /** A trusted-documents manifest ({ sha256: document }): only those GraphQL operations run. */
  LAKE_GRAPHQL_TRUSTED_DOCUMENTS: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** The gRPC door for Datapunk Stream; 0 turns it off. */
  LAKE_GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(50051),
  /** Where gRPC listens with TLS; without certificates it is always 127.0.0.1. */
  LAKE_GRPC_HOST: z.string().min(1).default("0.0.0.0"),
  /** PEM files: certificate and key turn TLS on; a client CA too makes it mutual TLS. */
  LAKE_GRPC_TLS_CERT: z.preprocess(emptyAsUndefined, z.string().optional()),
  LAKE_GRPC_TLS_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  LAKE_GRPC_TLS_CLIENT_CA: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Datapunk Stream's StreamProcessor (host:port): set, the Lake forwards its event log to it. */
  STREAM_GRPC_URL: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** PEM files: the CA of Stream's certificate (TLS), and this client's certificate and key (mTLS). */
  STREAM_GRPC_TLS_CA: z.preprocess(emptyAsUndefined, z.string().optional()),
  STREAM_GRPC_TLS_CERT: z.preprocess(emptyAsUndefined, z.string().optional()),
  STREAM_GRPC_TLS_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** Sent as a Bearer token to Datapunk Stream. */
  STREAM_GRPC_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** default: 3 attempts, 1 s → 30 s ×2; critical: 5 attempts, 500 ms → 10 s ×1.5. */
  STREAM_RETRY_POLICY: z.enum(["default", "critical"]).default("default"),
  /** Stream requests per principal per hour: REST event posts, gRPC batches and calls, connections. */
  LAKE_RATE_LIMIT_STREAM_PER_HOUR: z.coerce.number().int().min(1).default(36_000),
  /** Redis streams per topic on the event bus; an event's partition key picks one. */
  LAKE_BUS_PARTITIONS: z.coerce.number().int().min(1).max(64).default(4),
  /** Events kept per bus stream (approximately), and for how long at most. */
  LAKE_BUS_MAX_LENGTH: z.coerce.number().int().min(1000).default(100_000),
  LAKE_BUS_RETENTION_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /** How long the event log in PostgreSQL keeps events; resuming from older offsets is a 410. */
  LAKE_EVENT_RETENTION_HOURS: z.coerce.number().int().min(1).default(168),
  /** A stream subscriber with more than this unsent is too slow and is closed (it can resume). */
  LAKE_STREAM_SEND_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(4 * 1024 * 1024),
  LAKE_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * After SIGTERM /ready answers 503 at once; the server keeps taking requests this long before it
   * stops accepting and drains, so load balancers see it leave before its port closes.
   */
  LAKE_SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** false: a web-only instance; background work runs in `npm run worker` processes (needs Redis). */
  LAKE_WORKERS: z.stringbool().default(true),
  /**
   * For the end-to-end suite only: /e2e-error then fails while rendering, so the error page can be
   * tested in a production build (e2e/navigation.spec.ts). Off, that address is a 404.
   */
  LAKE_E2E_ERROR_ROUTE: z.preprocess(emptyAsUndefined, z.stringbool().default(false)),
  /** Webhook targets on loopback or private networks are refused unless this is true (tests, labs). */
  LAKE_WEBHOOK_ALLOW_PRIVATE: z.stringbool().default(false),
  /** How long one webhook attempt may take before it counts as failed. */
  LAKE_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** A delivery its endpoint never took is given up (failed) this long after its alert changed. */
  LAKE_WEBHOOK_MAX_AGE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(72),
  /** A window worker that stops renewing its leases (it died) gives its log partitions up after this. */
  LAKE_WINDOW_LEASE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /**
   * This process's `lake_instance` label on /metrics. Unset: `<hostname>:<PORT>`, and for a worker
   * `<hostname>:<LAKE_WORKER_METRICS_PORT>`.
   */
  /** Where `npm run worker` serves /metrics (and /health); 0: nowhere. The web process uses PORT. */
  LAKE_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  LAKE_INSTANCE_ID: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[\w.:@-]{1,128}$/, "must be 1-128 letters, digits, '.', ':', '@', '_' or '-'")
      .optional(),
  ),
  /** The console overview's sample interval (seed: metrics collected every 10 s); kept 6 hours. */
  LAKE_METRICS_SAMPLE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * OpenTelemetry's own variables (docs/decisions/0016-tracing.md). Unset endpoint: no tracing at
   * all. Set: spans go to `{endpoint}/v1/traces` as OTLP/HTTP (JSON).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  ),
  OTEL_SERVICE_NAME: z.preprocess(emptyAsUndefined, z.string().default("datapunk-lake")),
  /** The samplers of the OTel spec that need no extra service (no jaeger_remote, no xray). */
  OTEL_TRACES_SAMPLER: z.preprocess(
    emptyAsUndefined,
    z
      .enum(
        [
          "parentbased_traceidratio",
          "traceidratio",
          "parentbased_always_on",
          "always_on",
          "parentbased_always_off",
          "always_off",
        ],
        { error: "must be parentbased_traceidratio, traceidratio, (parentbased_)always_on/off" },
      )
      .default("parentbased_traceidratio"),
  ),
  /** The ratio of the *traceidratio samplers: the share of new traces recorded (1: all). */
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: "must be a ratio between 0 and 1" })
      .min(0, "must be a ratio between 0 and 1")
      .max(1, "must be a ratio between 0 and 1")
      .default(1),
  ),
  /** Cortex embedding service (POST {CORTEX_URL}/embeddings); unset: LAKE_EMBEDDER decides. */
  CORTEX_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  CORTEX_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  CORTEX_MODEL: z.string().min(1).default("text-embedding-3-small"),
  /** Per attempt; a call makes at most 3 attempts (the default policy: up to 1 s, then 2 s apart). */
  CORTEX_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Without Cortex: `hashing` (lexical, deterministic, built in) or `none` (no text search). */
  LAKE_EMBEDDER: z.enum(["hashing", "none"]).default("hashing"),
  /** Vector searches running at once per instance (seed: 100); more wait in a bounded queue. */
  LAKE_VECTOR_MAX_CONCURRENT_SEARCHES: z.coerce.number().int().min(1).default(100),
  /** Searches waiting for a slot; beyond it a search answers 503 service_unavailable. */
  LAKE_VECTOR_SEARCH_QUEUE: z.coerce.number().int().min(0).default(1000),
  LAKE_VECTOR_SEARCH_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
});

type Parsed = z.infer<typeof schema>;
export type Env = Omit<Parsed, "LAKE_AUTH_SECRET" | "LAKE_ENCRYPTION_KEY"> & {
  LAKE_AUTH_SECRET: string;
  LAKE_ENCRYPTION_KEY: string;
  /** Absolute path of LAKE_DATA_DIR. */
  dataDir: string;
};

export class EnvError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "EnvError";
  }
}

const GENERATED_SECRETS_FILE = "secrets.json";
type GeneratedSecrets = { LAKE_AUTH_SECRET: string; LAKE_ENCRYPTION_KEY: string };

/**
 * Secrets not given in the environment are generated once and kept in the data dir, so sessions
 * survive a restart and nothing secret is ever hard-coded. Several instances must share them:
 * set them explicitly there.
 */
function generatedSecrets(dataDir: string): GeneratedSecrets {
  const file = path.join(dataDir, GENERATED_SECRETS_FILE);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets;
  } catch {
    const secrets: GeneratedSecrets = {
      LAKE_AUTH_SECRET: randomBytes(32).toString("base64url"),
      LAKE_ENCRYPTION_KEY: randomBytes(32).toString("base64url"),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
    return secrets;
  }
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(String(issue?.path[0] ?? "environment"), issue?.message ?? "is invalid");
  }
  const parsed = result.data;
  const dataDir = path.resolve(parsed.LAKE_DATA_DIR);
  const needsGenerated = !parsed.LAKE_AUTH_SECRET || !parsed.LAKE_ENCRYPTION_KEY;
  const generated = needsGenerated ? generatedSecrets(dataDir) : undefined;
  return {
    ...parsed,
    dataDir,
    LAKE_AUTH_SECRET: parsed.LAKE_AUTH_SECRET ?? generated!.LAKE_AUTH_SECRET,
    LAKE_ENCRYPTION_KEY: parsed.LAKE_ENCRYPTION_KEY ?? generated!.LAKE_ENCRYPTION_KEY,
  };
}

/**
 * next-auth reads its own variables. They are derived here, once, so all configuration still
 * comes from this file: the public URL when given, else the origin of each request.
 */
export function exportLibraryEnv(config: Env): void {
  if (config.LAKE_PUBLIC_URL) process.env.NEXTAUTH_URL = config.LAKE_PUBLIC_URL;
  else process.env.AUTH_TRUST_HOST = "true";
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
