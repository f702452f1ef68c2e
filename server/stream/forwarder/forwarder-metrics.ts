import { Gauge } from "prom-client";

import { metrics, SERVICE } from "../../observability/metrics";
import { type StreamForwarder } from "./stream-forwarder";

/**
 * The forwarder's state on /metrics, read when Prometheus scrapes: how far behind Datapunk Stream
 * is, whether its circuit is open, and how many events it has been sent.
 */
export function registerForwarderMetrics(forwarder: StreamForwarder): void {
  const { registry } = metrics();
  const gauge = (
    name: string,
    help: string,
    read: (s: Awaited<ReturnType<StreamForwarder["status"]>>) => number | undefined,
  ) => {
    // A later forwarder of the same process (tests) replaces the earlier one's.
    registry.removeSingleMetric(name);
    new Gauge({
      name,
      help,
      labelNames: ["service"] as const,
      registers: [registry],
      async collect() {
        const value = read(await forwarder.status());
        if (value !== undefined) this.set({ service: SERVICE }, value);
      },
    });
  };
  gauge(
    "stream_forwarder_lag_events",
    "Events of the log Datapunk Stream has not processed yet.",
    (s) => s.lag,
  );
  gauge("stream_forwarder_circuit_open", "1 while the circuit to Datapunk Stream is open.", (s) =>
    s.breaker === "open" ? 1 : 0,
  );
  gauge(
    "stream_forwarder_forwarded_events",
    "Events sent to Datapunk Stream by this process.",
    (s) => s.forwarded,
  );
}
