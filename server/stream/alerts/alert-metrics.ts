import { type Database } from "../../db/client";
import { gaugeReadOnScrape } from "../../observability/metrics";

/**
 * `alert_instances{rule,state}`: how many groups of each alert rule are in each state (inactive,
 * pending, firing…), read from PostgreSQL when Prometheus scrapes — one grouped query over a table
 * with a row per rule and group. The same for every instance (it is the database's state);
 * aggregate with max. A scrape while PostgreSQL is away lists no series rather than failing.
 */
export function registerAlertMetrics(db: Database): void {
  gaugeReadOnScrape(
    {
      name: "alert_instances",
      help: "Alert instances (rule × group) by rule name and state.",
      labelNames: ["rule", "state"] as const,
    },
    async (gauge) => {
      const rows = await db.pool
        .query<{ rule: string; state: string; count: number }>(
          `SELECT r.name AS rule, i.state::text AS state, count(*)::int AS count
             FROM alert_instances i JOIN alert_rules r ON r.id = i.alert_rule_id
            GROUP BY r.name, i.state`,
        )
        .then((result) => result.rows)
        .catch(() => []);
      for (const { rule, state, count } of rows) gauge.set({ rule, state }, count);
    },
  );
}
