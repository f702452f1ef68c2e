import { slot } from "../singleton";
import type { CacheServices } from "./cache-services";

// Filled once by server/main.ts (or a test's setup); route handlers read it from here.
const current = slot<CacheServices>("cache-services");

export function setCacheServices(services: CacheServices | undefined): void {
  current.set(services);
}

/** The process's cache, rate limits, pub/sub and queues (Redis, or in-process fallbacks). */
export function cacheServices(): CacheServices {
  const services = current.get();
  if (!services)
    throw new Error("Cache services have not been started (server/main.ts starts them).");
  return services;
}

/** The same, or undefined before they are started (unit tests that call services directly). */
export function cacheServicesIfStarted(): CacheServices | undefined {
  return current.get();
}
