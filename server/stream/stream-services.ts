import { type CacheServices } from "../cache/cache-services";
import { type Database } from "../db/client";
import { type Env } from "../env";
import { logger } from "../observability/logger";
import { slot } from "../singleton";
import { type EventBus } from "./bus/event-bus";
import { createMemoryEventBus } from "./bus/memory-event-bus";
import { createRedisEventBus } from "./bus/redis-event-bus";
import { relayOutbox } from "./events/outbox-relay";
import { deleteEventsBefore } from "./events/stream-events.queries";
import { registerForwarderMetrics } from "./forwarder/forwarder-metrics";
import { DEPENDENCIES } from "../resilience/dependencies";
import { dependencyPolicy } from "../resilience/dependency-policy";
import { startStreamForwarder, type StreamForwarder } from "./forwarder/stream-forwarder";
import { createStreamProcessorClient } from "./forwarder/stream-processor-client";
import { createEventTail, type EventTail } from "./live/event-tail";
import { registerSubscriptionMetrics } from "./live/subscription-metrics";
import { ingestedEvents } from "./events/ingest-metrics";

export type StreamServices = {
  bus: EventBus;
  tail: EventTail;
  /** Set when STREAM_GRPC_URL is: the log's way to Datapunk Stream. */
  forwarder?: StreamForwarder;
  /** LAKE_STREAM_SEND_BUFFER_BYTES: a subscriber further behind than this is closed. */
  sendBufferBytes: number;
  close(): Promise<void>;
};

export type StreamConfig = Pick<
  Env,
  | "LAKE_REDIS_PREFIX"
  | "LAKE_BUS_PARTITIONS"
  | "LAKE_BUS_MAX_LENGTH"
  | "LAKE_BUS_RETENTION_SECONDS"
  | "LAKE_EVENT_RETENTION_HOURS"
  | "LAKE_STREAM_SEND_BUFFER_BYTES"
> &
  Partial<
    Pick<
      Env,
      | "STREAM_GRPC_URL"
      | "STREAM_GRPC_TLS_CA"
      | "STREAM_GRPC_TLS_CERT"
      | "STREAM_GRPC_TLS_KEY"
      | "STREAM_GRPC_TOKEN"
      | "STREAM_RETRY_POLICY"
    >
  >;

const TAIL_POLL_MS = 500;
const RELAY_EVERY_MS = 200;
const RELAY_BATCH = 1000;
const FORWARD_BATCH = 500;
const FORWARD_IDLE_MS = 200;
const SWEEP_EVERY_MS = 10 * 60_000;
const SWEEP_BATCH = 10_000;

const current = slot<StreamServices>("stream-services");

/** The process's bus and tail; throws before server/main.ts (or a test) has started them. */
export function streamServices(): StreamServices {
  const services = current.get();
  if (!services)
    throw new Error("Stream services have not been started (server/main.ts starts them).");
  return services;
}

/** The same, or undefined in a process that has not started them (the worker, unit tests). */
export const streamServicesIfStarted = (): StreamServices | undefined => current.get();

/**
 * Starts the event bus (Redis Streams with REDIS_URL, in-process without), this instance's tail
 * of the log, the relay of record changes from the outbox into the log, and the sweep that trims
 * the log to its retention.
 */
export async function startStreamServices(options: {
  db: Database;
  cache: CacheServices;
  config: StreamConfig;
}): Promise<StreamServices> {
  const { db, cache, config } = options;
  const bus = cache.redis
    ? createRedisEventBus({
        redis: cache.redis,
        namespace: `${config.LAKE_REDIS_PREFIX}bus:`,
        partitions: config.LAKE_BUS_PARTITIONS,
        maxLength: config.LAKE_BUS_MAX_LENGTH,
        retentionMs: config.LAKE_BUS_RETENTION_SECONDS * 1000,
      })
    : createMemoryEventBus();
  const tail = await createEventTail({ db, bus, pollMs: TAIL_POLL_MS });

  const retentionMs = config.LAKE_EVENT_RETENTION_HOURS * 3_600_000;
  let sweeping: Promise<void> | undefined;
  const sweep = setInterval(() => {
    sweeping ??= (async () => {
      const cutoff = new Date(Date.now() - retentionMs);
      while ((await deleteEventsBefore(db, { cutoff, limit: SWEEP_BATCH })) === SWEEP_BATCH);
    })()
      .catch((error: unknown) => logger().warn({ err: error }, "event log sweep failed"))
      .finally(() => (sweeping = undefined));
  }, SWEEP_EVERY_MS).unref();

  // Record changes wait in the outbox (written with the change); this moves them into the log.
  let relaying: Promise<void> | undefined;
  const relay = setInterval(() => {
    relaying ??= (async () => {
      for (;;) {
        const events = await relayOutbox(db, RELAY_BATCH);
        await bus.publish(events);
        if (events.length < RELAY_BATCH) break;
      }
    })()
      .catch((error: unknown) => logger().warn({ err: error }, "outbox relay failed"))
      .finally(() => (relaying = undefined));
  }, RELAY_EVERY_MS).unref();

  const forwarder = config.STREAM_GRPC_URL
    ? startStreamForwarder({
        db,
        client: createStreamProcessorClient({
          url: config.STREAM_GRPC_URL,
          tlsCa: config.STREAM_GRPC_TLS_CA,
          tlsCert: config.STREAM_GRPC_TLS_CERT,
          tlsKey: config.STREAM_GRPC_TLS_KEY,
          token: config.STREAM_GRPC_TOKEN,
          deadlineMs: DEPENDENCIES.stream.timeoutMs,
        }),
        resilience: dependencyPolicy("stream", {
          label: "Datapunk Stream",
          retry: config.STREAM_RETRY_POLICY ?? DEPENDENCIES.stream.retry,
        }),
        batchSize: FORWARD_BATCH,
        idleMs: FORWARD_IDLE_MS,
      })
    : undefined;
  registerForwarderMetrics(forwarder);
  registerSubscriptionMetrics();
  ingestedEvents();

  const services: StreamServices = {
    bus,
    tail,
    forwarder,
    sendBufferBytes: config.LAKE_STREAM_SEND_BUFFER_BYTES,
    async close() {
      clearInterval(sweep);
      clearInterval(relay);
      await forwarder?.stop();
      tail.close();
      await Promise.all([sweeping, relaying]);
      await bus.close();
      if (current.get() === services) current.set(undefined);
    },
  };
  current.set(services);
  return services;
}
