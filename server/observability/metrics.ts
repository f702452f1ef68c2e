import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  collectDefaultMetrics,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from "prom-client";

import { singleton } from "../singleton";
import { requestHistory } from "./request-history";

/** The service label of every metric; other Datapunk services scrape into the same Prometheus. */
export const SERVICE = "datapunk-lake";

/**
 * One registry per process, on globalThis: the custom server and Next's bundled route handlers
 * each load their own copy of prom-client, and both must count into the same metrics.
 */
export const metrics = () =>
  singleton("metrics", () => {
    const registry = new Registry();
    // Until labelMetricsWith names the instance (at boot); tests and tools keep just the service.
    registry.setDefaultLabels({ service: SERVICE });
    collectDefaultMetrics({ register: registry });
    return {
      registry,
      requestRate: new Counter({
        name: "request_rate",
        help: "Requests served, by route pattern (never the raw URL), method and status code.",
        labelNames: ["endpoint", "method", "status_code"] as const,
        registers: [registry],
      }),
      latency: new Histogram({
        name: "latency",
        help: "Request latency in seconds, by route pattern and method.",
        labelNames: ["endpoint", "method"] as const,
        buckets: [0.01, 0.05, 0.1, 0.5],
        registers: [registry],
      }),
    };
  });

/**
 * Every series of this process carries `service` and `lake_instance` (LAKE_INSTANCE_ID): several
 * instances behind one load balancer, or scraped through one address, stay apart. Not
 * `instance`, which Prometheus sets itself to the scrape target's address.
 */
export function labelMetricsWith(instance: string): void {
  metrics().registry.setDefaultLabels({ service: SERVICE, lake_instance: instance });
}

export function recordRequest(options: {
  endpoint: string;
  method: string;
  status: number;
  seconds: number;
}): void {
  const m = metrics();
  const { endpoint, method } = options;
  m.requestRate.inc({ endpoint, method, status_code: String(options.status) });
  m.latency.observe({ endpoint, method }, options.seconds);
  requestHistory().observe(options);
}

// Get-or-create: a module loaded twice (the custom server and Next's bundle) or a service started
// twice (tests) shares one series set instead of failing on a duplicate name.

export function counter<L extends string>(config: Omit<CounterConfiguration<L>, "registers">) {
  const existing = metrics().registry.getSingleMetric(config.name);
  return (
    (existing as Counter<L> | undefined) ??
    new Counter({ ...config, registers: [metrics().registry] })
  );
}

export function histogram<L extends string>(config: Omit<HistogramConfiguration<L>, "registers">) {
  const existing = metrics().registry.getSingleMetric(config.name);
  return (
    (existing as Histogram<L> | undefined) ??
    new Histogram({ ...config, registers: [metrics().registry] })
  );
}

/**
 * A gauge read when Prometheus scrapes. Registered again (a later service of the same process, in
 * tests), the newer reader replaces the older one.
 */
export function gaugeReadOnScrape<L extends string>(
  config: Omit<GaugeConfiguration<L>, "registers" | "collect">,
  read: (gauge: Gauge<L>) => void | Promise<void>,
): void {
  const { registry } = metrics();
  registry.removeSingleMetric(config.name);
  new Gauge<L>({
    ...config,
    registers: [registry],
    async collect() {
      // Series that went away (a closed queue, a deleted webhook) disappear with the reset; an
      // unlabelled gauge would still read 0, which is a value, so it is removed until read sets it.
      this.reset();
      if (!config.labelNames?.length) this.remove();
      await read(this);
    },
  });
}
