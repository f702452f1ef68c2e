import { gaugeReadOnScrape } from "../../observability/metrics";

/** Each engine of this process (one in production, several in tests) and how far behind it is. */
const behind = new Map<symbol, () => bigint>();

/**
 * `window_engine_lag_events`: log events this process's window engine has not applied yet, as of
 * its last step — growing means windows (and the alerts on them) fall behind real time. An engine
 * holding no partition (another worker has them) reports 0; aggregate with max.
 */
export function measureWindowEngine(lag: () => bigint): () => void {
  const key = Symbol("window-engine");
  behind.set(key, lag);
  gaugeReadOnScrape(
    {
      name: "window_engine_lag_events",
      help: "Events of the log this process's window engine has yet to apply (as of its last step).",
    },
    (gauge) => {
      for (const read of behind.values()) gauge.set(Number(read()));
    },
  );
  return () => behind.delete(key);
}
