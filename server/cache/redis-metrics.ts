import { gaugeReadOnScrape } from "../observability/metrics";
import { type CacheServices } from "./cache-services";
import { isRedisReady } from "./redis";

/**
 * Whether this process reaches Redis, when Prometheus scrapes: 1 connected, 0 degraded onto the
 * in-process fallbacks; no series when REDIS_URL is unset (in-process by choice, not a fault).
 */
export function registerRedisMetrics(cache: Pick<CacheServices, "redis">): void {
  gaugeReadOnScrape(
    {
      name: "redis_up",
      help: "1 while the shared Redis connection is ready, 0 while this instance runs degraded.",
    },
    (gauge) => {
      if (cache.redis) gauge.set(isRedisReady(cache.redis) ? 1 : 0);
    },
  );
}
