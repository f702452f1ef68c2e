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
import { ingestEvents } from "../../stream/events/ingest-events";
import { type StoredEvent } from "../../stream/events/stream-event";
import { resolveSubscription, subscribeRequestSchema } from "../../stream/live/subscribe-request";
import { openSubscription } from "../../stream/live/subscription";
import { streamServices } from "../../stream/stream-services";
import { writeTimeSeries } from "../../stream/timeseries/write-time-series";
import { authenticateCall, chargeRateLimit, peerIp } from "./authenticate-call";
import { toServiceError } from "./grpc-status";
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

function fail(thrown: unknown) {
  const error = toAppError(thrown);
  if (error.code === "internal_error") logger().error({ err: thrown }, "gRPC call failed");
  return toServiceError(error);
}

/**
 * Ingest: batches in, one ack per batch out, in order. Each batch is stored as the REST door
 * stores a request's events (ingestEvents): valid events acknowledged with their offsets, invalid
 * ones reported by index, a retried batch stored once. A failure of the store ends the call
 * with its status; the client resends the batches it has no ack for.
 */
function ingest(call: ServerDuplexStream<IngestBatch, unknown>) {
  let principal: Principal | undefined;
  let pending = 0;
  let failed = false;
  const stop = (thrown: unknown) => {
    if (failed) return;
    failed = true;
    call.emit("error", fail(thrown));
  };
  // Each batch is charged to the rate limit, not the opening of the stream.
  let chain: Promise<void> = authenticateCall(call.metadata, call.getPeer(), "write", {
    charge: false,
  }).then((caller) => void (principal = caller), stop);

  async function store(batch: IngestBatch) {
    if (failed || !principal) return;
    if (batch.events.length > MAX_EVENTS_PER_BATCH) {
      throw new AppError("bad_request", `At most ${MAX_EVENTS_PER_BATCH} events per batch.`);
    }
    await chargeRateLimit(principal);
    const result = await ingestEvents({
      ...serviceContext({ principal, ip: peerIp(call.getPeer()) }),
      events: batch.events.map(eventInputOf),
      bus: streamServices().bus,
    });
    call.write({
      batchId: batch.batchId,
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
    });
  }

  call.on("data", (batch: IngestBatch) => {
    pending += 1;
    if (pending >= MAX_PENDING_BATCHES) call.pause();
    chain = chain
      .then(() => store(batch))
      .catch(stop)
      .finally(() => {
        pending -= 1;
        if (pending < MAX_PENDING_BATCHES / 2 && call.isPaused()) call.resume();
      });
  });
  call.on("end", () => void chain.then(() => !failed && call.end()));
}

function writeTimeSeriesCall(
  call: ServerUnaryCall<{ points: ProtoPoint[] }, unknown>,
  callback: sendUnaryData<unknown>,
) {
  authenticateCall(call.metadata, call.getPeer(), "write")
    .then((principal) =>
      writeTimeSeries({
        ...serviceContext({ principal, ip: peerIp(call.getPeer()) }),
        points: call.request.points.map((point) => ({
          series: point.series,
          timestamp: timestampToIso(point.timestamp),
          value: point.value,
          tags: point.tags,
        })),
      }),
    )
    .then((result) => callback(null, result))
    .catch((error: unknown) => callback(fail(error)));
}

/**
 * Subscribe: the events of the topics from `from_offset` (or from now), authorized for the caller
 * one by one, as the WebSocket door does. A client too far behind gets RESOURCE_EXHAUSTED and
 * resumes from the last offset it received.
 */
function subscribe(call: ServerWritableStream<SubscribeRequest, unknown>) {
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
