import type pg from "pg";

import { gaugeReadOnScrape } from "../observability/metrics";

/**
 * The pool's occupancy when Prometheus scrapes: connections in use and idle against the maximum,
 * and queries waiting for a connection — the first sign that LAKE_DB_POOL_SIZE is too small or a
 * slow query holds connections.
 */
export function registerPoolMetrics(pool: pg.Pool): void {
  gaugeReadOnScrape(
    {
      name: "db_pool_connections",
      help: "PostgreSQL connections of this process's pool, by state (in_use, idle).",
      labelNames: ["state"] as const,
    },
    (gauge) => {
      gauge.set({ state: "in_use" }, pool.totalCount - pool.idleCount);
      gauge.set({ state: "idle" }, pool.idleCount);
    },
  );
  gaugeReadOnScrape(
    { name: "db_pool_max_connections", help: "The pool's maximum size (LAKE_DB_POOL_SIZE)." },
    (gauge) => gauge.set(pool.options.max ?? 10),
  );
  gaugeReadOnScrape(
    {
      name: "db_pool_waiting_requests",
      help: "Queries waiting for a free PostgreSQL connection.",
    },
    (gauge) => gauge.set(pool.waitingCount),
  );
}
