import { singleton } from "../singleton";
import { type CacheServices } from "./cache-services";
import { type CreateRateLimiterOptions, type RateLimiter } from "./rate-limit";

type LimiterSpec = Omit<CreateRateLimiterOptions, "redis">;

// Per cache-services instance (tests start several in one process) and per spec; on globalThis so
// the custom server and bundled route handlers share one in-process fallback log per limit.
const registries = () =>
  singleton("rate-limiter-registry", () => new WeakMap<CacheServices, Map<string, RateLimiter>>());

/** One limiter per (services, prefix, points, window): its in-process fallback must persist. */
export function rateLimiterFor(services: CacheServices, spec: LimiterSpec): RateLimiter {
  let registry = registries().get(services);
  if (!registry) registries().set(services, (registry = new Map<string, RateLimiter>()));
  const key = `${spec.keyPrefix}|${spec.points}|${spec.durationSeconds}`;
  let limiter = registry.get(key);
  if (!limiter) registry.set(key, (limiter = services.createRateLimiter(spec)));
  return limiter;
}
