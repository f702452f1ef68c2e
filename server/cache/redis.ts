import { performance } from "node:perf_hooks";

import { Redis } from "ioredis";

import { traceRedisCommands } from "../observability/redis-spans";
import { reconnectDelayMs } from "../resilience/full-jitter";

/**
 * Redis is non-critical here: every caller has an in-process fallback. So the shared client is
 * built to fail fast while Redis is away (a command errors at once instead of waiting in an
 * offline queue and holding a request open), and to keep reconnecting in the background so the
 * callers move back to Redis by themselves when it returns.
 */

export type CreateRedisConnectionOptions = {
  /** Shown by CLIENT LIST on the server, to tell the process's connections apart. */
  name: string;
  /**
   * Longest wait between reconnect attempts; attempts never stop. Default 5 s: the critical
   * policy's backoff (500 ms, ×1.5, full jitter) held below it, so a Redis that returns is
   * noticed within seconds.
   */
  maxReconnectDelayMs?: number;
};

const CONNECT_TIMEOUT_MS = 2_000;
/** A command still unanswered after this long counts as a failure, so the fallback takes over. */
const COMMAND_TIMEOUT_MS = 2_000;

/** The last connection error of each client, for ping() to say *why* Redis is down. */
const lastErrors = new WeakMap<Redis, Error>();

export function createRedisConnection(url: string, options: CreateRedisConnectionOptions): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 5_000;
  const client = new Redis(url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Commands issued in the same tick (a request's rate limit and cache reads, and those of
    // every concurrent request) go out as one write: fewer syscalls and round trips under load.
    enableAutoPipelining: true,
    // Returning a number (never null) keeps reconnecting forever. Jittered, so the clients of
    // every instance do not all come back at the same instant after a Redis restart.
    retryStrategy: (attempt) => reconnectDelayMs("critical", attempt, { capMs: maxDelay }),
  });
  keepErrorsQuiet(client);
  traceRedisCommands(client);
  return client;
}

/**
 * ioredis emits 'error' on every failed (re)connect; an EventEmitter with no 'error' listener
 * throws, which would take the process down exactly when Redis is optional. The state is read
 * from `status` and ping() instead, so the listener only remembers the error.
 */
export function keepErrorsQuiet(client: Redis): Redis {
  client.on("error", (error: Error) => lastErrors.set(client, error));
  client.on("ready", () => lastErrors.delete(client));
  return client;
}

export function isRedisReady(client: Redis): boolean {
  return client.status === "ready";
}

/**
 * Resolves once the client is ready, or as soon as its first attempt fails, or after
 * `timeoutMs` — whichever comes first. Never rejects: a caller that starts degraded is fine.
 */
export async function waitForRedis(
  client: Redis,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<boolean> {
  if (isRedisReady(client)) return true;
  if (client.status === "end") return false;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off("ready", done).off("error", done).off("end", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once("ready", done).once("error", done).once("end", done);
  });
  return isRedisReady(client);
}

export type RedisPing = { ok: boolean; latencyMs: number; error?: string };

/** PING with its own short deadline: readiness probes must answer even when Redis hangs. */
export async function pingRedis(
  client: Redis,
  options: { timeoutMs?: number } = {},
): Promise<RedisPing> {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  if (!isRedisReady(client)) {
    const cause = lastErrors.get(client)?.message;
    return { ok: false, latencyMs: 0, error: `redis ${client.status}${cause ? `: ${cause}` : ""}` };
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no PONG within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.ping(), deadline]);
    return { ok: true, latencyMs: elapsed() };
  } catch (error) {
    return { ok: false, latencyMs: elapsed(), error: errorMessage(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Closes the client and, when it has a socket, waits for it to be gone. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "end") return;
  if (client.status === "wait" || client.status === "close" || client.status === "reconnecting") {
    // No socket to wait for. (ioredis emits no 'end' here: it only cancels the pending reconnect.)
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<void>((resolve) => {
    client.once("end", resolve);
    timer = setTimeout(resolve, CONNECT_TIMEOUT_MS);
  });
  if (isRedisReady(client)) {
    // quit() lets pending replies arrive; it resolves on the server's OK, before the socket closes.
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
  await ended;
  clearTimeout(timer);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
