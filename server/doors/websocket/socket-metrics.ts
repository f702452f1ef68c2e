import { gaugeReadOnScrape } from "../../observability/metrics";
import { singleton } from "../../singleton";

/** Open sockets by endpoint, each read from its door when Prometheus scrapes. */
const openSockets = () => singleton("metrics:websockets", () => new Map<string, () => number>());

/** Lists an endpoint's open WebSockets as `websocket_connections{endpoint}`. */
export function measureSockets(endpoint: string, count: () => number): void {
  openSockets().set(endpoint, count);
  gaugeReadOnScrape(
    {
      name: "websocket_connections",
      help: "Open WebSocket connections on this instance, by endpoint (stream, GraphQL).",
      labelNames: ["endpoint"] as const,
    },
    (gauge) => {
      for (const [each, read] of openSockets()) gauge.set({ endpoint: each }, read());
    },
  );
}
