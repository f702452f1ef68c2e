import { singleton } from "../singleton";
import { type BreakerSnapshot, type BreakerStateName } from "./breaker-snapshot";
import { registerResilienceMetrics } from "./resilience-metrics";

export type { BreakerSnapshot, BreakerStateName };

type Reader = () => BreakerSnapshot;

/**
 * Every circuit breaker of the process by dependency name, for /ready, /metrics and the console.
 * On globalThis: the custom server and Next's route handlers load separate copies of this module,
 * and /ready (answered by either) must see the breakers the other one created.
 */
const readers = () => singleton("resilience:breakers", () => new Map<string, Reader>());

/**
 * Lists a dependency's breaker. A later registration under the same name replaces it (a
 * provider rebuilt in tests); the returned function removes it again unless it was replaced.
 */
export function registerBreaker(dependency: string, read: Reader): () => void {
  registerResilienceMetrics(breakerSnapshots);
  readers().set(dependency, read);
  return () => {
    if (readers().get(dependency) === read) readers().delete(dependency);
  };
}

export function breakerSnapshot(dependency: string): BreakerSnapshot | undefined {
  return readers().get(dependency)?.();
}

export function breakerSnapshots(): BreakerSnapshot[] {
  return [...readers().values()].map((read) => read());
}
