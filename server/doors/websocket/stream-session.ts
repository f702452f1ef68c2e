import { trace } from "@opentelemetry/api";
import { type WebSocket } from "ws";
import { z } from "zod";

import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { type RequestSpanOptions, withRequestSpan } from "../../observability/request-span";
import { failSpan } from "../../observability/tracer";
import { serviceContext } from "../../service-context";
import { toEventView, type StoredEvent } from "../../stream/events/stream-event";
import { resolveSubscription, subscribeRequestSchema } from "../../stream/live/subscribe-request";
import { openSubscription } from "../../stream/live/subscription";
import { streamServices } from "../../stream/stream-services";
import { type UpgradeCaller } from "./authenticate-upgrade";
import { STREAM_PROTOCOL } from "./upgrade-credentials";

/** Our span attribute: which message of the stream protocol a span handled. */
const ATTR_LAKE_MESSAGE_TYPE = "lake.message.type";

/** Close code for a client that fell too far behind; it reconnects and resumes from its offset. */
export const SLOW_CONSUMER_CLOSE = 4008;
/** Subscriptions one socket may hold. */
const MAX_SUBSCRIPTIONS = 16;

const messageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping"), id: z.unknown().optional() }),
  subscribeRequestSchema.extend({
    type: z.literal("subscribe"),
    id: z.union([z.string().max(100), z.number()]).optional(),
  }),
  z.object({
    type: z.literal("unsubscribe"),
    id: z.union([z.string().max(100), z.number()]).optional(),
    subscription: z.string().max(100),
  }),
]);

const send = (socket: WebSocket, message: object) => socket.send(JSON.stringify(message));

/**
 * The span of a client message that does work (subscribe, unsubscribe; a ping does none): each
 * is a request of its own, with a trace of its own, on a socket that may stay open for hours.
 */
const messageSpan = (type: "subscribe" | "unsubscribe"): RequestSpanOptions => ({
  door: "websocket",
  name: `${STREAM_PROTOCOL} ${type}`,
  attributes: { [ATTR_LAKE_MESSAGE_TYPE]: type },
});

/**
 * An event's view as JSON, made once however many sockets it goes to: the tail hands every
 * subscription the same object, and at hundreds of subscribers serializing per socket was most
 * of the fan-out's cost.
 */
const viewJson = new WeakMap<StoredEvent, string>();
function eventMessage(subscription: string, event: StoredEvent): string {
  let json = viewJson.get(event);
  if (json === undefined) {
    json = JSON.stringify(toEventView(event));
    viewJson.set(event, json);
  }
  return `{"type":"event","subscription":${JSON.stringify(subscription)},"offset":"${event.offset}","event":${json}}`;
}

function sendError(socket: WebSocket, id: unknown, thrown: unknown) {
  const error = toAppError(thrown);
  if (error.status >= 500) {
    const span = trace.getActiveSpan();
    if (span) failSpan(span, thrown);
  }
  if (error.code === "internal_error") logger().error({ err: thrown }, "stream message failed");
  send(socket, {
    type: "error",
    id: id ?? null,
    error_code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}

/**
 * One socket's conversation in the lake.v1 protocol (README: "Real-time streams"): ping → pong;
 * subscribe → subscribed, then event messages, each with its offset; unsubscribe → unsubscribed.
 * A socket that lets more than LAKE_STREAM_SEND_BUFFER_BYTES pile up unsent is closed with
 * 4008 (slow consumer): it reconnects and resumes after its last offset.
 */
export function streamSession(socket: WebSocket, caller: UpgradeCaller) {
  const subscriptions = new Map<string, { close(): void }>();
  let counter = 0;
  const limit = () => streamServices().sendBufferBytes;

  const tooSlow = () => {
    if (socket.bufferedAmount <= limit()) return false;
    socket.close(SLOW_CONSUMER_CLOSE, "slow consumer: reconnect and resume after your last offset");
    return true;
  };
  const room = () =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (socket.readyState !== socket.OPEN || socket.bufferedAmount < limit() / 2) resolve();
        else setTimeout(check, 20);
      };
      check();
    });

  async function subscribe(id: unknown, request: z.infer<typeof subscribeRequestSchema>) {
    if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
      throw new AppError(
        "bad_request",
        `At most ${MAX_SUBSCRIPTIONS} subscriptions per connection.`,
      );
    }
    const context = serviceContext({ principal: caller.principal, ip: caller.ip });
    const spec = await resolveSubscription(context, request);
    const name = `s${++counter}`;
    const { tail } = streamServices();
    const subscription = await openSubscription({
      db: context.db,
      tail,
      principal: caller.principal,
      spec,
      transport: "websocket",
      subscriber: {
        send(event: StoredEvent) {
          if (socket.readyState !== socket.OPEN || tooSlow()) return;
          socket.send(eventMessage(name, event));
        },
        room,
        fail: (error) => {
          sendError(socket, id, error);
          subscriptions.get(name)?.close();
          subscriptions.delete(name);
        },
      },
    });
    if (socket.readyState !== socket.OPEN) return subscription.close();
    subscriptions.set(name, subscription);
    send(socket, {
      type: "subscribed",
      id: id ?? null,
      subscription: name,
      after: subscription.from,
    });
  }

  return {
    /** One message from the client. */
    receive(data: unknown) {
      let raw: unknown;
      try {
        raw = JSON.parse(Buffer.from(data as Buffer).toString("utf8"));
      } catch {
        send(socket, {
          type: "error",
          error_code: "invalid_json",
          message: "Messages must be JSON.",
        });
        return;
      }
      const parsed = messageSchema.safeParse(raw);
      const id = (raw as { id?: unknown } | null)?.id;
      if (!parsed.success) {
        const known = ["ping", "subscribe", "unsubscribe"].includes(
          String((raw as { type?: unknown } | null)?.type),
        );
        if (!known) {
          send(socket, {
            type: "error",
            id: id ?? null,
            error_code: "bad_request",
            message: "Unknown message type.",
          });
        } else sendError(socket, id, parsed.error);
        return;
      }
      const message = parsed.data;
      if (message.type === "ping") {
        send(socket, { type: "pong", id: message.id ?? null });
      } else if (message.type === "subscribe") {
        const { type: _type, id: requestId, ...request } = message;
        void withRequestSpan(messageSpan("subscribe"), () =>
          subscribe(requestId, request).catch((error: unknown) =>
            sendError(socket, requestId, error),
          ),
        );
      } else {
        void withRequestSpan(messageSpan("unsubscribe"), async () => {
          subscriptions.get(message.subscription)?.close();
          subscriptions.delete(message.subscription);
          send(socket, {
            type: "unsubscribed",
            id: message.id ?? null,
            subscription: message.subscription,
          });
        });
      }
    },
    close() {
      for (const subscription of subscriptions.values()) subscription.close();
      subscriptions.clear();
    },
  };
}
