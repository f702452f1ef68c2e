import { type Database } from "../../db/client";
import { inPoolTransaction } from "../../db/pool-transaction";
import { withQueryTimeout } from "../../db/query-timeout";
import { type SearchRow } from "./search.queries";

/** How the ANN index is to be searched; `exact` sets nothing. */
export type AnnSettings =
  | { method: "ivfflat"; probes: number }
  | { method: "hnsw"; efSearch: number }
  | { method: "exact" };

const int = (value: number) => Math.max(1, Math.trunc(value));

/**
 * Runs a search statement in a read-only transaction of its own, so `SET LOCAL` settings —
 * statement timeout, probes or ef_search, iterative scans — hold for this statement and vanish
 * with it (they never leak onto the pooled connection; on PGlite, whose connections share one
 * session, neither). Iterative scans (pgvector ≥ 0.8, also in PGlite's build) make the index scan
 * continue past `probes` lists or `ef_search` candidates while filters reject rows, so filtered
 * queries still fill k.
 */
export async function runSearchSql(
  db: Database,
  sql: { text: string; values: unknown[] },
  settings: {
    ann: AnnSettings;
    k: number;
    timeoutMs: number;
    /** Measuring recall: the index alone, without iterative scans. */
    iterative?: boolean;
    /** Tests and benchmarks: make the planner take the index even on a small table. */
    forceIndex?: boolean;
  },
): Promise<SearchRow[]> {
  return inPoolTransaction(
    db.pool,
    async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${int(settings.timeoutMs)}`);
      const iterative = settings.iterative ?? true;
      if (settings.ann.method === "ivfflat") {
        await client.query(`SET LOCAL ivfflat.probes = ${int(settings.ann.probes)}`);
        if (iterative) await client.query("SET LOCAL ivfflat.iterative_scan = relaxed_order");
      } else if (settings.ann.method === "hnsw") {
        // ef_search below k would cap the result below k.
        await client.query(
          `SET LOCAL hnsw.ef_search = ${int(Math.max(settings.ann.efSearch, settings.k))}`,
        );
        if (iterative) await client.query("SET LOCAL hnsw.iterative_scan = relaxed_order");
      }
      if (settings.forceIndex) await client.query("SET LOCAL enable_seqscan = off");
      const { rows } = await client.query<SearchRow>(withQueryTimeout(sql, settings.timeoutMs));
      return rows;
    },
    { readOnly: true },
  );
}
