import { mkdirSync } from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = {
  /** A postgres:// URL for the `pg` driver; the same code path as a real server. */
  url: string;
  close(): Promise<void>;
};

export type StartEmbeddedPostgresOptions = {
  /** Directory of the database files; `undefined` keeps it in memory (tests). */
  dataDir?: string;
  /** PGlite runs one query at a time; more connections only queue inside it. */
  maxConnections?: number;
};

/**
 * The embedded default: PGlite (PostgreSQL 17 compiled to WASM, with pgvector) served over the
 * Postgres wire protocol on a loopback port chosen by the OS. Serving it over a socket, rather than
 * using an in-process Prisma adapter, keeps one driver path (`pg`) for embedded and real servers.
 * Its one known gap: COPY FROM STDIN breaks the connection (ENVIRONMENT.md).
 */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, extensions: { vector } });
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: 0,
    maxConnections: options.maxConnections ?? 20,
  });
  await server.start();
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
