import { isAdmin, type Principal } from "../../auth/principal";
import { type ResourcePolicy } from "../../auth/resource-policy";
import { type PayloadFilter } from "../../data/records/query/record-query.schemas";
import { type DbClient } from "../../db/transaction";
import { AppError } from "../../errors/app-error";
import { type StoredEvent } from "../events/stream-event";
import { selectEventsAfter, selectLogBounds } from "../events/stream-events.queries";
import { type Topic } from "../events/topics";
import { matchesFilters } from "./event-filter";
import { type EventTail } from "./event-tail";
import { measureSubscription, type Transport } from "./subscription-metrics";

/** What a client asked for, checked (subscribe-request.ts builds it). */
export type SubscriptionSpec = {
  topics: readonly Topic[];
  /** With the records topic: the dataset whose changes to receive, and its policy. */
  dataset?: { id: string; name: string; policy: ResourcePolicy };
  filters: readonly PayloadFilter[];
  /** Resume after this offset; unset: from now. */
  after?: string;
};

export type Subscriber = {
  send(event: StoredEvent): void;
  /** Resolves when the client can take more; catching up waits on it between pages. */
  room(): Promise<void>;
  /** The subscription could not go on (the log failed while catching up). */
  fail(error: unknown): void;
};

const PAGE = 500;

/**
 * Whether this principal may receive this event: the resource policies of records, applied to
 * every event for every subscriber. A user_data event reaches its owner and admins only; an
 * analytics event every subscriber (who needed the read permission to subscribe at all).
 */
export function mayReceive(
  principal: Principal,
  event: StoredEvent,
  /** A record event's dataset policy now: a dataset made owner-only hides its older events too. */
  datasetPolicy?: ResourcePolicy,
): boolean {
  const ownerOnly =
    event.policy === "user_data" || (event.topic === "records" && datasetPolicy === "user_data");
  return !ownerOnly || event.ownerId === principal.userId || isAdmin(principal);
}

function wanted(spec: SubscriptionSpec, event: StoredEvent): boolean {
  if (!spec.topics.includes(event.topic)) return false;
  if (event.topic === "records" && event.datasetId !== spec.dataset?.id) return false;
  return matchesFilters(event.payload, spec.filters);
}

/** Where a resume starts, or the error that says why it cannot. */
export async function checkResumeOffset(db: DbClient, after: string): Promise<bigint> {
  const { head, first } = await selectLogBounds(db);
  const offset = BigInt(after);
  if (offset > BigInt(head)) {
    throw new AppError(
      "offset_unknown",
      `Offset ${after} was never given out; the log ends at ${head}.`,
      {
        head_offset: head,
      },
    );
  }
  if (offset < BigInt(first) - 1n) {
    throw new AppError(
      "offset_expired",
      `Offset ${after} is older than the log keeps; it now starts at ${first}. Resume from there, or from now.`,
      { first_offset: first, head_offset: head },
    );
  }
  return offset;
}

/**
 * A subscription: from `after` it reads the log page by page (waiting for the client between
 * pages), then follows the tail. The switch cannot lose or repeat an event: the tail hands out
 * offsets in order, and the subscription goes live only when its cursor equals the tail's head —
 * checked synchronously, so no event can slip between the check and the switch.
 */
export async function openSubscription(options: {
  db: DbClient;
  tail: EventTail;
  principal: Principal;
  spec: SubscriptionSpec;
  subscriber: Subscriber;
  /** The door it came through, for /metrics. */
  transport: Transport;
}): Promise<{ from: string; close(): void }> {
  const { db, tail, principal, spec, subscriber } = options;
  let cursor = spec.after === undefined ? tail.head() : await checkResumeOffset(db, spec.after);
  const from = cursor.toString();
  let live = false;
  let closed = false;
  const measured = measureSubscription({
    transport: options.transport,
    lag: () => (tail.head() > cursor ? tail.head() - cursor : 0n),
  });

  const deliver = (event: StoredEvent) => {
    if (wanted(spec, event) && mayReceive(principal, event, spec.dataset?.policy)) {
      subscriber.send(event);
      measured.delivered();
    }
  };
  const stopListening = tail.listen((event) => {
    // A resume after an offset this instance's tail has not reached yet: skip up to it.
    if (!live || closed || BigInt(event.offset) <= cursor) return;
    cursor = BigInt(event.offset);
    deliver(event);
  });

  async function catchUp() {
    while (!closed) {
      const seenByTail = tail.head();
      if (cursor >= seenByTail) {
        live = true;
        return;
      }
      const rows = await selectEventsAfter(db, {
        after: cursor.toString(),
        limit: PAGE,
        topics: spec.topics,
      });
      let passedTail = false;
      for (const event of rows) {
        if (closed) return;
        if (BigInt(event.offset) > seenByTail) {
          passedTail = true;
          break;
        }
        cursor = BigInt(event.offset);
        deliver(event);
      }
      // Everything of these topics up to the tail's head (as it was before the query) is read:
      // the rest comes from the tail.
      if ((passedTail || rows.length < PAGE) && cursor < seenByTail) cursor = seenByTail;
      await subscriber.room();
    }
  }
  if (cursor < tail.head()) {
    void catchUp().catch((error: unknown) => {
      if (!closed) subscriber.fail(error);
    });
  } else live = true;

  return {
    from,
    close() {
      closed = true;
      stopListening();
      measured.closed();
    },
  };
}
