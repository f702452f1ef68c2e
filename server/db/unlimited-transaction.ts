import type pg from "pg";

import { inPoolTransaction } from "./pool-transaction";
import { withQueryTimeout } from "./query-timeout";

export type UnlimitedQuery = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/**
 * A transaction whose statements have no time limit, neither PostgreSQL's nor the client's: for
 * work whose time grows with the data it covers — every row of an import (its consistency check,
 * its removal), the index of its staged rows — which the pool's LAKE_STATEMENT_TIMEOUT_MS (30 s)
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
