import {
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";

import { type Principal } from "../../auth/principal";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { serviceContext } from "../../service-context";
import { MAX_EVENTS_PER_BATCH } from "../../stream/events/event-input.schemas";
import {
  appendBatches,
  checkEvents,
  type AppendedBatches,
  type CheckedBatch,
  type IngestResult,
} from "../../stream/events/ingest-events";
import { type StoredEvent } from "../../stream/events/stream-event";
import { resolveSubscription, subscribeRequestSchema } from "../../stream/live/subscribe-request";
import { openSubscription } from "../../stream/live/subscription";
import { payloadJson } from "../../stream/events/payload-json";
import { streamServices } from "../../stream/stream-services";
import { writeTimeSeries } from "../../stream/timeseries/write-time-series";
import { authenticateCall, chargeRateLimit, peerIp } from "./authenticate-call";
import { toServiceError } from "./grpc-status";
import { assertWellFormed, MalformedMessage } from "./malformed-message";
import {
  eventInputOf,
  protoEventOf,
  timestampToIso,
  type ProtoEvent,
  type ProtoPoint,
} from "../../stream/contracts/proto-values";

type IngestBatch = { batchId: string; events: ProtoEvent[] };
type SubscribeRequest = {
  topics: string[];
  fromOffset: string;
  dataset: string;
  filter: Record<string, string>;
};

/**
 * Messages queued on one Subscribe call: grpc-js server streams are in object mode, so their
 * buffer counts messages, not bytes. Catching up waits below ROOM; past MAX the client is too slow.
 */
const SUBSCRIBE_ROOM = 256;
const SUBSCRIBE_MAX_QUEUED = 10_000;

/** Batches a client may have in flight on one Ingest stream before it is paused. */
const MAX_PENDING_BATCHES = 8;
/**
 * Events, and payload bytes, appended in one statement at most when batches have queued up behind
 * a store (a batch alone may exceed them: it is never split).
 */
const MAX_GROUP_EVENTS = 1000;
const MAX_GROUP_BYTES = 16 * 1024 * 1024;

function fail(thrown: unknown) {
  const error = toAppError(thrown);
  if (error.code === "internal_error") logger().error({ err: thrown }, "gRPC call failed");
  return toServiceError(error);
}

/**
 * Ingest: batches in, one ack per batch out, in order. Each batch is stored as the REST door
 * stores a request's events: valid events acknowledged with their offsets, invalid ones reported
 * by index, a retried batch stored once. A batch is checked and charged to the rate limit as soon
 * as it arrives, while earlier ones are being stored; the batches that queued up meanwhile are
 * then appended together in one statement (a group commit: one lock and one commit for several
 * batches), in arrival order, and acknowledged once published on the bus — while the next group
 * is appended. A bad message or a failed store ends the call with its status after
 * the batches before it are acknowledged; the client resends those it has no ack for.
 */
function ingest(call: ServerDuplexStream<IngestBatch | MalformedMessage, unknown>) {
  type Queued = { batchId: string; checked: Promise<CheckedBatch>; charged: Promise<unknown> };
  const queue: Queued[] = [];
  let storing: Promise<void> | undefined;
  /** The bus publishes of appended groups, in order; each acknowledges its batches. */
  let published: Promise<void> = Promise.resolve();
  let ended = false;
  let failed = false;
  const stop = (thrown: unknown) => {
    if (failed) return;
    failed = true;
    call.emit("error", fail(thrown));
  };
  // Each batch is charged to the rate limit, not the opening of the stream.
  const caller = authenticateCall(call.metadata, call.getPeer(), "write", { charge: false });
  caller.catch(stop);

  /** Batches received but not yet queued: they wait for the caller's authentication. */
  let waiting = 0;
  const backPressure = () => {
    const pending = queue.length + waiting;
    if (pending >= MAX_PENDING_BATCHES) call.pause();
    else if (pending < MAX_PENDING_BATCHES / 2 && call.isPaused()) call.resume();
  };

  async function storeQueued(principal: Principal) {
    const context = serviceContext({ principal, ip: peerIp(call.getPeer()) });
    while (queue.length > 0 && !failed) {
      const group: { batchId: string; events: CheckedBatch }[] = [];
      let refusal: unknown;
      let events = 0;
      let bytes = 0;
      while (queue.length > 0) {
        const [checked, charged] = await Promise.allSettled([queue[0]!.checked, queue[0]!.charged]);
        if (checked.status === "rejected" || charged.status === "rejected") {
          queue.shift();
          refusal =
            checked.status === "rejected"
              ? checked.reason
              : (charged as PromiseRejectedResult).reason;
          break;
        }
        const { valid } = checked.value;
        const size = valid.reduce((sum, { event }) => sum + payloadJson(event.payload).length, 0);
        const full = events + valid.length > MAX_GROUP_EVENTS || bytes + size > MAX_GROUP_BYTES;
        if (group.length > 0 && full) break; // the next group's first
        group.push({ batchId: queue.shift()!.batchId, events: checked.value });
        events += valid.length;
        bytes += size;
      }
      if (group.length > 0 && !failed) {
        let appended: AppendedBatches;
        try {
          appended = await appendBatches(
            context.db,
            group.map((item) => item.events),
          );
        } catch (error) {
          await published; // the groups stored before this one are acknowledged first
          throw error;
        }
        const { results, stored } = appended;
        // Acknowledged once on the bus too; meanwhile the next group is appended.
        published = published
          .then(() => streamServices().bus.publish(stored))
          .then(() => {
            if (failed) return;
            results.forEach((result, i) => call.write(ackOf(group[i]!.batchId, result)));
          })
          .catch(stop);
      }
      backPressure();
      if (refusal !== undefined) {
        await published; // the batches before the refused one are acknowledged first
        throw toAppError(refusal);
      }
    }
  }

  /** Stores what is queued, unless a store is running already (it takes what queues meanwhile). */
  function drain(principal: Principal) {
    storing ??= storeQueued(principal)
      .catch(stop)
      .finally(() => {
        storing = undefined;
        // A batch queued while the last store was finishing waits for no other.
        if (failed) return;
        if (queue.length > 0) drain(principal);
        else if (ended) void published.then(() => !failed && call.end());
      });
  }

  function accept(batch: IngestBatch | MalformedMessage, principal: Principal) {
    const checked = new Promise<CheckedBatch>((resolve) => {
      assertWellFormed(batch);
      if (batch.events.length > MAX_EVENTS_PER_BATCH) {
        throw new AppError("bad_request", `At most ${MAX_EVENTS_PER_BATCH} events per batch.`);
      }
      resolve(checkEvents(principal, batch.events.map(eventInputOf)));
    });
    const charged = checked.then(() => chargeRateLimit(principal));
    // Both are awaited in turn by storeQueued; not unhandled meanwhile.
    charged.catch(() => undefined);
    const batchId = batch instanceof MalformedMessage ? "" : batch.batchId;
    queue.push({ batchId, checked, charged });
    backPressure();
    drain(principal);
  }

  call.on("data", (batch: IngestBatch | MalformedMessage) => {
    if (failed) return;
    // Before the caller is known (the first batches), wait for it; then this runs at once. The
    // wait counts against the limit too: a client cannot pile up batches while its key is looked up.
    waiting += 1;
    backPressure();
    void caller.then((principal) => {
      waiting -= 1;
      if (!failed) accept(batch, principal);
    }, stop);
  });
  call.on("end", () => {
    ended = true;
    void caller.then(
      () => {
        if (!storing && !failed && queue.length === 0) void published.then(() => call.end());
      },
      () => undefined,
    );
  });
}

function ackOf(batchId: string, result: IngestResult) {
  return {
    batchId,
    acks: result.acks.map((ack) => ({
      index: ack.index,
      eventId: ack.event_id,
      offset: ack.offset,
      duplicate: ack.duplicate,
    })),
    errors: result.errors.map((error) => ({
      index: error.index,
      eventId: error.event_id ?? "",
      errorCode: error.error_code,
      message: [error.message, ...error.details.map((d) => `${d.path}: ${d.message}`)].join(" "),
    })),
  };
}

function writeTimeSeriesCall(
  call: ServerUnaryCall<{ points: ProtoPoint[] } | MalformedMessage, unknown>,
  callback: sendUnaryData<unknown>,
) {
  const { request } = call;
  authenticateCall(call.metadata, call.getPeer(), "write")
    .then((principal) => {
      assertWellFormed(request);
      return writeTimeSeries({
        ...serviceContext({ principal, ip: peerIp(call.getPeer()) }),
        points: request.points.map((point) => ({
          series: point.series,
          timestamp: timestampToIso(point.timestamp),
          value: point.value,
          tags: point.tags,
        })),
      });
    })
    .then((result) => callback(null, result))
    .catch((error: unknown) => callback(fail(error)));
}

/**
 * Subscribe: the events of the topics from `from_offset` (or from now), authorized for the caller
 * one by one, as the WebSocket door does. A client too far behind gets RESOURCE_EXHAUSTED and
 * resumes from the last offset it received.
 */
function subscribe(call: ServerWritableStream<SubscribeRequest | MalformedMessage, unknown>) {
  let close = () => {};
  let ended = false;
  const end = (thrown?: unknown) => {
    if (ended) return;
    ended = true;
    close();
    if (thrown === undefined) call.end();
    else call.emit("error", fail(thrown));
  };
  call.on("cancelled", () => {
    ended = true;
    close();
  });
  (async () => {
    const principal = await authenticateCall(call.metadata, call.getPeer(), "read");
    const context = serviceContext({ principal, ip: peerIp(call.getPeer()) });
    const { request } = call;
    assertWellFormed(request);
    const spec = await resolveSubscription(
      context,
      subscribeRequestSchema.parse({
        topics: request.topics,
        ...(request.dataset ? { dataset: request.dataset } : {}),
        ...(Object.keys(request.filter ?? {}).length > 0 ? { filter: request.filter } : {}),
        ...(request.fromOffset ? { after: request.fromOffset } : {}),
      }),
    );
    const { tail } = streamServices();
    const subscription = await openSubscription({
      db: context.db,
      tail,
      principal,
      spec,
      transport: "grpc",
      subscriber: {
        send(event: StoredEvent) {
          if (ended) return;
          if (call.writableLength > SUBSCRIBE_MAX_QUEUED) {
            end(
              new AppError(
                "rate_limited",
                "Too far behind: subscribe again from your last offset.",
              ),
            );
            return;
          }
          call.write({ offset: event.offset, event: protoEventOf(event) });
        },
        room: () =>
          ended || call.writableLength < SUBSCRIBE_ROOM
            ? Promise.resolve()
            : new Promise<void>((resolve) => call.once("drain", resolve)),
        fail: end,
      },
    });
    close = () => subscription.close();
    if (ended) subscription.close();
  })().catch(end);
}

/** The handlers of datapunk.stream.v1.StreamService. */
export const streamServiceHandlers: UntypedServiceImplementation = {
  Ingest: ingest,
  WriteTimeSeries: writeTimeSeriesCall,
  Subscribe: subscribe,
};
