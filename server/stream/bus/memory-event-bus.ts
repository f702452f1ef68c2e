import { logger } from "../../observability/logger";
import { type BusHandler, type ConsumeOptions, type EventBus } from "./event-bus";
import { type StoredEvent } from "../events/stream-event";

const RETRY_MS = 1000;

/** The bus of an instance without Redis: the same interface, in this process. */
export function createMemoryEventBus(): EventBus {
  const handlers = new Set<BusHandler>();
  const groups = new Map<string, { handler: ConsumeOptions["handler"]; queue: StoredEvent[][] }>();
  let closed = false;

  async function drain(name: string) {
    const group = groups.get(name);
    if (!group || closed) return;
    while (group.queue.length > 0 && groups.get(name) === group) {
      const events = group.queue[0]!;
      try {
        await group.handler(events);
        group.queue.shift();
      } catch (error) {
        logger().warn({ err: error, group: name }, "event-bus consumer failed; redelivering");
        setTimeout(() => void drain(name), RETRY_MS).unref();
        return;
      }
    }
  }

  return {
    mode: "memory",
    async publish(events) {
      if (events.length === 0 || closed) return;
      // Later, like a message off a socket: a publisher never runs subscriber code in its stack.
      setImmediate(() => {
        for (const handler of handlers) handler(events);
      });
      for (const [name, group] of groups) {
        const idle = group.queue.length === 0;
        group.queue.push(events);
        if (idle) setImmediate(() => void drain(name));
      }
    },
    onEvents(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    listening: () => Promise.resolve(),
    consume({ group, handler }) {
      const state = { handler, queue: [] as StoredEvent[][] };
      groups.set(group, state);
      return {
        ready: Promise.resolve(),
        async stop() {
          if (groups.get(group) === state) groups.delete(group);
        },
      };
    },
    async close() {
      closed = true;
      handlers.clear();
      groups.clear();
    },
  };
}
