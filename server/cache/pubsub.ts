import { EventEmitter } from "node:events";

import type { Redis } from "ioredis";

import { closeRedis, isRedisReady, keepErrorsQuiet, waitForRedis } from "./redis";

export type MessageHandler = (message: unknown) => void;

export interface PubSub {
  /** Fire-and-forget, at most once per subscriber; messages travel as JSON. */
  publish(channel: string, message: unknown): Promise<void>;
  /** Resolves once subscribed; the returned function unsubscribes this handler only. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type CreatePubSubOptions = {
  /** A handler threw; other handlers still get the message. Default: console.error. */
  onHandlerError?: (error: unknown, channel: string) => void;
};

/** The handlers of this process, keyed by channel; messages arrive as JSON text. */
function createLocalHub(options: CreatePubSubOptions) {
  const emitter = new EventEmitter();
  // One listener per subscriber; a busy channel is not a leak.
  emitter.setMaxListeners(0);
  const onHandlerError =
    options.onHandlerError ??
    ((error, channel) => console.error(`pubsub handler on "${channel}" failed`, error));
  return {
    add(channel: string, handler: MessageHandler) {
      const listener = (json: string) => {
        try {
          handler(JSON.parse(json));
        } catch (error) {
          onHandlerError(error, channel);
        }
      };
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
    has: (channel: string) => emitter.listenerCount(channel) > 0,
    channels: () => emitter.eventNames().filter((name): name is string => typeof name === "string"),
    // Later, like a message off a socket: a publisher never runs subscriber code in its own stack.
    deliver: (channel: string, json: string) =>
      void setImmediate(() => emitter.emit(channel, json)),
    clear: () => emitter.removeAllListeners(),
  };
}

export function createMemoryPubSub(options: CreatePubSubOptions = {}): PubSub {
  const hub = createLocalHub(options);
  return {
    async publish(channel, message) {
      hub.deliver(channel, toJson(message));
    },
    async subscribe(channel, handler) {
      const remove = hub.add(channel, handler);
      return async () => void remove();
    },
    async close() {
      hub.clear();
    },
  };
}

export type CreateRedisPubSubOptions = CreatePubSubOptions & {
  /** Publishes with this client; a duplicate of it becomes the subscriber connection. */
  redis: Redis;
  /** Prepended to every channel name. Default "lake:pubsub:". */
  namespace?: string;
};

/**
 * Fan-out through Redis. The process's own handlers get its own messages back from Redis, so a
 * publish is never delivered locally as well (no double delivery) — unless the subscriber
 * connection is not listening on that channel right now (Redis down, or not yet resubscribed),
 * in which case it is delivered locally and, if possible, still published for other instances.
 */
export function createRedisPubSub(options: CreateRedisPubSubOptions): PubSub {
  const { redis } = options;
  const namespace = options.namespace ?? "lake:pubsub:";
  const hub = createLocalHub(options);
  const subscriber = keepErrorsQuiet(
    redis.duplicate({
      connectionName: `${redis.options.connectionName ?? "lake"}:subscriber`,
      // Re-subscribing is done below on every 'ready', which also covers channels whose SUBSCRIBE
      // failed while Redis was down (ioredis would only restore the ones that succeeded).
      autoResubscribe: false,
      enableAutoPipelining: false,
    }),
  );
  // A subscribe() right after start-up should really listen (and so hear the next publish), not
  // fall back locally because the new connection is a few ms from ready. Bounded; never rejects.
  const firstConnection = waitForRedis(subscriber);
  /** Channels the subscriber connection is known to be listening on. */
  const listening = new Set<string>();
  /**
   * SUBSCRIBEs awaiting their reply. Redis may already route messages to us while the reply is on
   * its way, so a publish waits for them before deciding whether to deliver locally.
   */
  const pending = new Map<string, Promise<void>>();

  const listen = (channel: string): Promise<void> => {
    if (!isRedisReady(subscriber)) return Promise.resolve();
    const previous = pending.get(channel) ?? Promise.resolve();
    const subscribing = previous
      .then(() => subscriber.subscribe(namespace + channel))
      .then(
        () => void (hub.has(channel) && listening.add(channel)),
        () => undefined, // Down again: the next 'ready' retries.
      )
      .finally(() => {
        if (pending.get(channel) === subscribing) pending.delete(channel);
      });
    pending.set(channel, subscribing);
    return subscribing;
  };

  subscriber.on("message", (redisChannel: string, json: string) => {
    if (redisChannel.startsWith(namespace)) hub.deliver(redisChannel.slice(namespace.length), json);
  });
  subscriber.on("close", () => listening.clear());
  subscriber.on("ready", () => {
    for (const channel of hub.channels()) void listen(channel);
  });

  return {
    async publish(channel, message) {
      const json = toJson(message);
      await pending.get(channel);
      const echoed = !hub.has(channel) || (isRedisReady(subscriber) && listening.has(channel));
      if (isRedisReady(redis)) {
        try {
          await redis.publish(namespace + channel, json);
          if (echoed) return;
        } catch {
          // Redis dropped mid-publish: this process at least still hears it.
        }
      }
      hub.deliver(channel, json);
    },
    async subscribe(channel, handler) {
      await firstConnection;
      const first = !hub.has(channel);
      const remove = hub.add(channel, handler);
      await (first ? listen(channel) : pending.get(channel));
      return async () => {
        remove();
        if (hub.has(channel)) return;
        listening.delete(channel);
        if (!isRedisReady(subscriber)) return;
        await subscriber.unsubscribe(namespace + channel).catch(() => undefined);
      };
    },
    async close() {
      hub.clear();
      listening.clear();
      await closeRedis(subscriber);
    },
  };
}

function toJson(message: unknown): string {
  const json = JSON.stringify(message) as string | undefined;
  if (json === undefined) throw new TypeError("pubsub messages must be JSON-serialisable");
  return json;
}
