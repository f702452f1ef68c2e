import type pg from "pg";

import { inPoolTransaction } from "./pool-transaction";
import { withQueryTimeout } from "./query-timeout";

export type UnlimitedQuery = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/**
 * A transaction whose statements have no time limit, neither PostgreSQL's nor the client's: for
 * work whose time grows with the data it covers — every row of an import (its consistency check,
 * its removal) — which the pool's LAKE_STATEMENT_TIMEOUT_MS (30 s)
 * would otherwise cut short once an import is big enough. A 49-million-row import's checksum took
 * 55 s here, and failed its check three times over under the limit (docs/decisions/0018).
 */
export function inUnlimitedTransaction<T>(
  pool: pg.Pool,
  fn: (query: UnlimitedQuery) => Promise<T>,
): Promise<T> {
  return inPoolTransaction(pool, async (client) => {
    await client.query("set local statement_timeout = 0");
    return fn((text, values) => client.query(withQueryTimeout({ text, values }, 0)));
  });
}

/**
 * The same outside a transaction, for what cannot run in one (CREATE or DROP INDEX CONCURRENTLY),
 * on a connection of its own with room to sort (`maintenance_work_mem` 256 MB). The settings it
 * found are put back before the connection returns to the pool — restored, not RESET: the
 * embedded database's connections share one session, whose limit the pool SET rather than passed
 * at startup (database.ts).
 */
export async function inUnlimitedSession<T>(
  pool: pg.Pool,
  fn: (query: UnlimitedQuery) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ timeout: string; memory: string }>(
      `select current_setting('statement_timeout') as timeout,
              current_setting('maintenance_work_mem') as memory`,
    );
    const saved = rows[0]!;
    await client.query("SET statement_timeout = 0");
    await client.query("SET maintenance_work_mem = '256MB'");
    try {
      return await fn((text, values) => client.query(withQueryTimeout({ text, values }, 0)));
    } finally {
      await client.query(`SET statement_timeout = '${saved.timeout.replaceAll("'", "")}'`);
      await client.query(`SET maintenance_work_mem = '${saved.memory.replaceAll("'", "")}'`);
    }
  } finally {
    client.release();
  }
}
