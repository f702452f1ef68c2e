import path from "node:path";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

import { type Database } from "./client";
import { runInThread } from "../threads/run-in-thread";
import { threadModule } from "../threads/thread-module";
import { type EmbeddedPostgres } from "./embedded-postgres";
import { traceSql } from "../observability/sql-spans";
import { PrismaClient } from "./generated/client";
import { QUERY_TIMEOUT_MARGIN_MS } from "./query-timeout";

const MIGRATIONS_THREAD = threadModule(new URL("./migrations-thread.ts", import.meta.url));

export type StartDatabaseOptions = {
  /** A PostgreSQL 15+ server with pgvector; unset starts the embedded database. */
  url?: string;
  /** Where the embedded database keeps its files; unset keeps it in memory (tests). */
  dataDir?: string;
  poolSize?: number;
  statementTimeoutMs?: number;
};

/**
 * Connects to the configured PostgreSQL (or starts the embedded one), applies pending migrations
 * and opens one pool for the process.
 */
export async function startDatabase(options: StartDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  if (!options.url) {
    // Imported only when used: PGlite's WebAssembly build costs ~45 MB resident even unused.
    const { startEmbeddedPostgres } = await import("./embedded-postgres");
    embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir ? path.join(options.dataDir, "pg") : undefined,
    });
  }
  const url = options.url ?? embedded!.url;
  try {
    await runInThread<string, string[]>(MIGRATIONS_THREAD, url);
  } catch (error) {
    await embedded?.close();
    throw error;
  }

  const statementTimeout = Math.trunc(options.statementTimeoutMs ?? 30_000);
  const pool = new pg.Pool({
    connectionString: url,
    // PGlite is one session behind its socket: statements from two connections can interleave
    // between the Parse and Bind of the extended protocol ("bind message supplies 3 parameters,
    // but prepared statement requires 4"). It runs one query at a time anyway, so one connection
    // costs no throughput. A real server gets the configured pool.
    max: embedded ? 1 : (options.poolSize ?? 10),
    // Fail fast while the server is away: /ready and API calls answer 503 instead of hanging.
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    // Sent as a startup parameter, so it holds on every connection from its first query.
    statement_timeout: statementTimeout,
    // The client's own limit, for a server that stopped answering (query-timeout.ts); a query
    // that changes the statement timeout brings its own (withQueryTimeout).
    query_timeout: statementTimeout + QUERY_TIMEOUT_MARGIN_MS,
  });
  // An idle client whose server went away emits 'error'; the pool replaces it on the next query.
  pool.on("error", () => {});
  // So does a checked-out one (a transaction's), where the pool does not listen: unheard, that
  // 'error' was an uncaught exception when PostgreSQL ended the session (a restart, a dropped
  // database) mid-transaction. The query in flight rejects with the error anyway.
  pool.on("connect", (client) => client.on("error", () => {}));
  traceSql(pool, url);
  if (embedded) {
    // PGlite ignores startup parameters, but all its connections share one session: one SET
    // covers them all.
    await pool.query(`SET statement_timeout = ${statementTimeout}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

  return {
    mode: embedded ? "embedded" : "server",
    url,
    pool,
    prisma,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await embedded?.close();
    },
  };
}
