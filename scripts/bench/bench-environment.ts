// Where the bench runs: a database recreated for every run (so runs are comparable) and the
// Redis the Lake will use, if any.
import { connect } from "node:net";
import { cpus, loadavg } from "node:os";

import { Redis } from "ioredis";
import pg from "pg";

export const DEFAULT_BENCH_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/lake_bench";
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** Drops and recreates the database named by `url`, through the server's `postgres` database. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!name || name === "postgres") {
    throw new Error(`BENCH_DATABASE_URL must name a database of its own, got "${name}"`);
  }
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const quoted = client.escapeIdentifier(name);
    // WITH (FORCE): a previous run that died may have left connections behind.
    await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoted}`);
  } finally {
    await client.end();
  }
}

export type RedisChoice = { url: string | undefined; reason: string };

/** REDIS_URL when set; else the local default when it answers PING; else none (in-process). */
export async function chooseRedis(configured: string | undefined): Promise<RedisChoice> {
  if (configured) return { url: configured, reason: "REDIS_URL" };
  if (await answersPing(DEFAULT_REDIS_URL)) {
    return { url: DEFAULT_REDIS_URL, reason: "default, reachable" };
  }
  return { url: undefined, reason: `${DEFAULT_REDIS_URL} not reachable: in-process fallbacks` };
}

/**
 * Deletes the keys matching `pattern` (SCAN, then UNLINK): a Lake's caches emptied between two
 * runs, so each starts as cold as the one before it. Returns how many went.
 */
export async function deleteRedisKeys(url: string, pattern: string): Promise<number> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return deleted;
}

function answersPing(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || 6379), hostname);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

/**
 * Statistics for the freshly seeded tables, so the planner picks the same plan in every run
 * instead of whichever autovacuum happens to have left (a fresh table has none).
 */
export async function analyzeDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

export async function countRecords(url: string): Promise<{ total: number; active: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: number; active: number }>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE payload->>'status' = 'active')::int AS active
       FROM records`,
    );
    return rows[0]!;
  } finally {
    await client.end();
  }
}

/** The load average, 1 / 5 / 15 min: the machine is shared, and figures are read with it in mind. */
export const loadLine = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(" / ");

/** The first lines every bench prints: what ran, on what, how busy the machine was. */
export function printBenchHeader(name: string): void {
  console.log(`${name} — node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`machine:  ${cpus().length} CPUs, load average ${loadLine()} at start`);
}
