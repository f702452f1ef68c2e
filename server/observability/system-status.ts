import { cacheServices } from "../cache/client";
import { database } from "../db/client";
import { streamServicesIfStarted } from "../stream/stream-services";
import { checkReadiness, type ReadinessReport } from "./readiness";

/** Readiness of this instance's dependencies: GET /ready and the console's dashboard. */
export function getSystemStatus(): Promise<ReadinessReport> {
  const cache = cacheServices();
  return checkReadiness({
    db: database(),
    pingRedis: () => cache.ping(),
    streamService: async () => streamServicesIfStarted()?.forwarder?.status(),
  });
}
