import { counter, gaugeReadOnScrape } from "../../observability/metrics";
import { singleton } from "../../singleton";

/** The door a subscription came through. */
export type Transport = "websocket" | "sse" | "grpc" | "graphql";

/** Each open subscription's distance behind this instance's tail, read at scrape. */
type OpenSubscription = { transport: Transport; lag: () => bigint };

const open = () => singleton("metrics:subscriptions", () => new Set<OpenSubscription>());

const delivered = () =>
  counter({
    name: "stream_events_delivered_total",
    help: "Events sent to subscribers (fan-out: one per subscriber that receives it), by transport.",
    labelNames: ["transport"] as const,
  });

/**
 * A subscription on /metrics while it is open: `stream_subscriptions` counts them and
 * `stream_subscription_lag_events` is the furthest any is behind the tail (a client catching up
 * after a resume, or reading slower than events arrive), both by transport.
 */
export function measureSubscription(subscription: OpenSubscription) {
  open().add(subscription);
  // Bound once: deliver() runs per event per subscriber, where hashing the labels each time shows.
  const deliveredHere = delivered().labels({ transport: subscription.transport });
  return {
    delivered: () => deliveredHere.inc(),
    closed: () => open().delete(subscription),
  };
}

/** Lists the stream's fan-out metrics from the start, before anyone subscribes. */
export function registerSubscriptionMetrics(): void {
  delivered();
  gaugeReadOnScrape(
    {
      name: "stream_subscriptions",
      help: "Open stream subscriptions on this instance, by transport.",
      labelNames: ["transport"] as const,
    },
    (gauge) => {
      for (const { transport } of open()) gauge.inc({ transport });
    },
  );
  gaugeReadOnScrape(
    {
      name: "stream_subscription_lag_events",
      help: "Events the furthest-behind subscription of each transport has yet to receive.",
      labelNames: ["transport"] as const,
    },
    (gauge) => {
      const furthest = new Map<Transport, bigint>();
      for (const { transport, lag } of open()) {
        const behind = lag();
        if (behind > (furthest.get(transport) ?? -1n)) furthest.set(transport, behind);
      }
      for (const [transport, behind] of furthest) gauge.set({ transport }, Number(behind));
    },
  );
}
