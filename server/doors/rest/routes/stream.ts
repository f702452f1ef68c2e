import { AppError } from "../../../errors/app-error";
import { toAppError } from "../../../errors/to-app-error";
import { toEventView, type StoredEvent } from "../../../stream/events/stream-event";
import {
  resolveSubscription,
  subscribeRequestSchema,
} from "../../../stream/live/subscribe-request";
import { openSubscription } from "../../../stream/live/subscription";
import { streamServices } from "../../../stream/stream-services";
import { apiRoute } from "../api-route";
import { streamRateLimit } from "../../rate-limits";

const KEEPALIVE_MS = 15_000;
const encoder = new TextEncoder();

/** `?topics=a,b&dataset=…&after=…&payload.<path>=<op>.<value>`; Last-Event-ID wins over `after`. */
function subscribeRequestOf(request: Request) {
  const url = new URL(request.url);
  const filter: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (key.startsWith("payload.")) filter[key] = value;
  const topics = url.searchParams.get("topics");
  return subscribeRequestSchema.parse({
    topics: topics ? topics.split(",") : [],
    dataset: url.searchParams.get("dataset") ?? undefined,
    filter,
    after: request.headers.get("last-event-id") ?? url.searchParams.get("after") ?? undefined,
  });
}

/**
 * The stream as server-sent events, for clients that cannot open a WebSocket (the same path
 * upgrades to one): each event's `id` is its offset, so a reconnecting EventSource resumes with
 * Last-Event-ID by itself. A client more than LAKE_STREAM_SEND_BUFFER_BYTES behind gets an
 * `error` event (slow_consumer) and the stream ends; it reconnects and resumes.
 */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/stream",
  permission: "read",
  rateLimit: streamRateLimit,
  handler: async (input) => {
    if (!(input.request.headers.get("accept") ?? "").includes("text/event-stream")) {
      throw new AppError(
        "bad_request",
        "The stream is a WebSocket (GET with Upgrade: websocket) or server-sent events (Accept: text/event-stream).",
      );
    }
    const context = input.services;
    const spec = await resolveSubscription(context, subscribeRequestOf(input.request));
    const { tail, sendBufferBytes } = streamServices();

    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let waiting: (() => void) | undefined;
    let ended = false;
    let closeSubscription = () => {};
    let keepalive: NodeJS.Timeout | undefined;
    const write = (text: string) => {
      if (!ended) controller.enqueue(encoder.encode(text));
    };
    const end = (error?: { error_code: string; message: string; details?: unknown }) => {
      if (ended) return;
      if (error) write(`event: error\ndata: ${JSON.stringify(error)}\n\n`);
      ended = true;
      clearInterval(keepalive);
      closeSubscription();
      waiting?.();
      try {
        controller.close();
      } catch {
        // The client closed it first.
      }
    };
    const body = new ReadableStream<Uint8Array>(
      {
        start: (c) => void (controller = c),
        pull: () => {
          waiting?.();
          waiting = undefined;
        },
        cancel: () => end(),
      },
      { highWaterMark: sendBufferBytes, size: (chunk) => chunk.byteLength },
    );
    const opened = await openSubscription({
      db: context.db,
      tail,
      principal: context.principal,
      spec,
      transport: "sse",
      subscriber: {
        send(event: StoredEvent) {
          if (ended) return;
          if ((controller.desiredSize ?? 0) <= 0) {
            end({
              error_code: "slow_consumer",
              message: "Too far behind: reconnect with Last-Event-ID to resume.",
            });
            return;
          }
          write(
            `id: ${event.offset}\nevent: ${event.topic}\ndata: ${JSON.stringify(toEventView(event))}\n\n`,
          );
        },
        room: () =>
          ended || (controller.desiredSize ?? 0) > sendBufferBytes / 2
            ? Promise.resolve()
            : new Promise<void>((resolve) => (waiting = resolve)),
        fail: (thrown) => {
          const { code, message, details } = toAppError(thrown);
          end({ error_code: code, message, details });
        },
      },
    });
    closeSubscription = () => opened.close();
    if (ended) opened.close();
    // Only once the stream is open: a refused subscription must not leave a timer behind.
    else keepalive = setInterval(() => write(": keepalive\n\n"), KEEPALIVE_MS);
    input.request.signal.addEventListener("abort", () => end(), { once: true });
    write(`: subscribed after ${opened.from}\nretry: 2000\n\n`);
    return new Response(body, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache, no-transform",
        "X-Accel-Buffering": "no",
      },
    });
  },
});
