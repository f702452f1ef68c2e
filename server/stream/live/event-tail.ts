import { type DbClient } from "../../db/transaction";
import { logger } from "../../observability/logger";
import { type EventBus } from "../bus/event-bus";
import { type StoredEvent } from "../events/stream-event";
import { selectEventsAfter, selectLogBounds } from "../events/stream-events.queries";

export type TailListener = (event: StoredEvent) => void;

export type EventTail = {
  /** The last offset handed to listeners: everything up to it has been, in order. */
  head(): bigint;
  /** Every event after head(), exactly once and in offset order. */
  listen(listener: TailListener): () => void;
  /** Reads the log now for anything the bus has not brought (tests; a nudge after a commit). */
  catchUp(): Promise<void>;
  close(): void;
};

const PAGE = 1000;

/**
 * An instance's view of the log's end, for its subscribers. Events come off the bus in any order
 * and possibly twice; the tail hands them on in offset order, once, and reads whatever is missing
 * from PostgreSQL: a gap the bus left (a publisher that died after its commit, Redis away, a
 * record change committed in a caller's transaction), found when a later offset arrives or when
 * the periodic look at the log's head sees it has moved.
 */
export async function createEventTail(options: {
  db: DbClient;
  bus: EventBus;
  /** How often the log's head is checked when the bus is quiet. */
  pollMs: number;
}): Promise<EventTail> {
  const { db, bus } = options;
  let head = BigInt((await selectLogBounds(db)).head);
  const early = new Map<bigint, StoredEvent>();
  const listeners = new Set<TailListener>();

  function dispatch() {
    for (let next = early.get(head + 1n); next; next = early.get(head + 1n)) {
      early.delete(head + 1n);
      head += 1n;
      for (const listener of listeners) {
        // One subscriber's failure must not cost the others the event, or the process its life.
        try {
          listener(next);
        } catch (error) {
          logger().error({ err: error }, "stream subscriber failed");
        }
      }
    }
  }

  function accept(events: StoredEvent[]) {
    for (const event of events) {
      const offset = BigInt(event.offset);
      if (offset > head) early.set(offset, event);
    }
    dispatch();
    if (early.size > 0) void catchUp();
  }

  let reading: Promise<void> | undefined;
  async function readLog() {
    for (;;) {
      const rows = await selectEventsAfter(db, { after: head.toString(), limit: PAGE });
      // Retention trimmed what was missing: go on from what the log still has.
      if (rows.length > 0 && BigInt(rows[0]!.offset) > head + 1n) {
        head = BigInt(rows[0]!.offset) - 1n;
      }
      accept(rows);
      if (rows.length < PAGE) break;
    }
    if (early.size > 0) {
      // Nothing after head in the log yet the bus brought later offsets: those were trimmed.
      const first = [...early.keys()].reduce((a, b) => (a < b ? a : b));
      if (
        first > head + 1n &&
        (await selectEventsAfter(db, { after: head.toString(), limit: 1 })).length === 0
      ) {
        head = first - 1n;
        dispatch();
      }
    }
  }
  function catchUp(): Promise<void> {
    reading ??= readLog()
      .catch((error: unknown) =>
        logger().warn({ err: error }, "stream tail could not read the log"),
      )
      .finally(() => (reading = undefined));
    return reading;
  }

  const unsubscribe = bus.onEvents(accept);
  const poll = setInterval(() => {
    if (reading) return;
    selectLogBounds(db)
      .then((bounds) => (BigInt(bounds.head) > head ? catchUp() : undefined))
      .catch(() => undefined);
  }, options.pollMs).unref();

  return {
    head: () => head,
    listen(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    catchUp,
    close() {
      clearInterval(poll);
      unsubscribe();
      listeners.clear();
    },
  };
}
