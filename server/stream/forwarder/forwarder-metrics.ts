import { gaugeReadOnScrape } from "../../observability/metrics";
import { type StreamForwarder } from "./stream-forwarder";

type ForwarderStatus = Awaited<ReturnType<StreamForwarder["status"]>>;

/**
 * The forwarder's state on /metrics, read when Prometheus scrapes: how far behind Datapunk Stream
 * is, whether its circuit is open, and how many events it has been sent. Listed without series
 * when STREAM_GRPC_URL is unset, so dashboards find the names either way.
 */
export function registerForwarderMetrics(forwarder: StreamForwarder | undefined): void {
  const gauge = (name: string, help: string, read: (s: ForwarderStatus) => number | undefined) =>
    gaugeReadOnScrape({ name, help }, async (g) => {
      if (!forwarder) return;
      const value = read(await forwarder.status());
      if (value !== undefined) g.set(value);
    });
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
