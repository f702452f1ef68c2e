import { cacheServices } from "../cache/client";
import { database } from "../db/client";
import { env } from "../env";
import { breakerSnapshot } from "../resilience/circuit-breakers";
import {
  DEPENDENCIES,
  OPTIONAL_DEPENDENCIES,
  type OptionalDependency,
} from "../resilience/dependencies";
import { streamServicesIfStarted } from "../stream/stream-services";
import { isDraining } from "./draining";
import { checkReadiness, type DependencyProbe, type ReadinessReport } from "./readiness";

/**
 * How each configured optional dependency is doing: its breaker's state, and for Datapunk Stream
 * the forwarder's too (it knows how far behind the service is). A configured dependency whose
 * client has made no call yet has no breaker: closed.
 */
function dependencyProbes(): Partial<Record<OptionalDependency, DependencyProbe>> {
  const config = env();
  const probes: Partial<Record<OptionalDependency, DependencyProbe>> = {};
  for (const kind of OPTIONAL_DEPENDENCIES) {
    if (!DEPENDENCIES[kind].configured(config)) continue;
    probes[kind] = async () => {
      const breaker = breakerSnapshot(kind);
      return { breaker: breaker?.state ?? "closed", retryAfterMs: breaker?.retryAfterMs };
    };
  }
  const forwarder = streamServicesIfStarted()?.forwarder;
  if (probes.stream && forwarder) probes.stream = () => forwarder.status();
  return probes;
}

/** Readiness of this instance's dependencies: GET /ready and the console's dashboard. */
export function getSystemStatus(): Promise<ReadinessReport> {
  const cache = cacheServices();
  return checkReadiness({
    db: database(),
    pingRedis: () => cache.ping(),
    dependencies: dependencyProbes(),
    draining: isDraining(),
  });
}
