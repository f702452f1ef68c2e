import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import { singleton } from "../singleton";

/** The service label of every metric; other Datapunk services scrape into the same Prometheus. */
export const SERVICE = "datapunk-lake";

/**
 * One registry per process, on globalThis: the custom server and Next's bundled route handlers
 * each load their own copy of prom-client, and both must count into the same metrics.
 */
export const metrics = () =>
  singleton("metrics", () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    return {
      registry,
      requestRate: new Counter({
        name: "request_rate",
        help: "Requests served, by route pattern (never the raw URL), method and status code.",
        labelNames: ["service", "endpoint", "method", "status_code"] as const,
        registers: [registry],
      }),
      latency: new Histogram({
        name: "latency",
        help: "Request latency in seconds, by route pattern and method.",
        labelNames: ["service", "endpoint", "method"] as const,
        buckets: [0.01, 0.05, 0.1, 0.5],
        registers: [registry],
      }),
    };
  });

export function recordRequest(options: {
  endpoint: string;
  method: string;
  status: number;
  seconds: number;
}): void {
  const m = metrics();
  const { endpoint, method } = options;
  m.requestRate.inc({ service: SERVICE, endpoint, method, status_code: String(options.status) });
  m.latency.observe({ service: SERVICE, endpoint, method }, options.seconds);
}
