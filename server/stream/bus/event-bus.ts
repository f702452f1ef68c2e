import { type StoredEvent } from "../events/stream-event";

export type BusHandler = (events: StoredEvent[]) => void;

/** Processes a delivery; when it throws, the events are delivered again (to this group). */
export type GroupHandler = (events: StoredEvent[]) => Promise<void>;

export type ConsumeOptions = {
  /** Consumers of one group share the events: each is handled by one of them. */
  group: string;
  /** This consumer's name in the group (an instance id); what it held is redelivered after a crash. */
  consumer: string;
  handler: GroupHandler;
};

/**
 * The event bus: stored events on their way to every instance's subscribers (`onEvents`) and to
 * processors that must see each event once per group (`consume`: windows, the Stream service
 * forwarder). The log in PostgreSQL is the truth; the bus is how news of it travels fast, so a
 * bus outage delays nothing an instance's own subscribers see and loses nothing (tails fill gaps
 * from the log).
 */
export interface EventBus {
  readonly mode: "redis" | "memory";
  /** Never throws for a bus outage: the events are in the log already. */
  publish(events: StoredEvent[]): Promise<void>;
  /**
   * Events published from now on by any instance. Delivery is at least once and in no promised
   * order across partitions: a tail orders by offset and drops repeats.
   */
  onEvents(handler: BusHandler): () => void;
  /** Resolves once `onEvents` handlers receive everything published from then on. */
  listening(): Promise<void>;
  /** `ready` resolves once the group exists: it receives what is published from then on. */
  consume(options: ConsumeOptions): { ready: Promise<void>; stop(): Promise<void> };
  close(): Promise<void>;
}
