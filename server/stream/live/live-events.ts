import { Repeater } from "@repeaterjs/repeater";

import { AppError } from "../../errors/app-error";
import { type ServiceContext } from "../../service-context";
import { type StoredEvent } from "../events/stream-event";
import { streamServices } from "../stream-services";
import { resolveSubscription, subscribeRequestSchema } from "./subscribe-request";
import { checkResumeOffset, openSubscription } from "./subscription";

/** Catching up pauses while this many events wait for the consumer. */
const ROOM = 256;
/**
 * A consumer this far behind is ended: it subscribes again from the last offset it received.
 * (Repeater refuses more than 1024 pending pushes.)
 */
const MAX_QUEUED = 1000;

/**
 * A subscription's events, authorized one by one for the caller as every door does
 * (openSubscription), as an async iterable: what pull-based doors consume (GraphQL
 * subscriptions over SSE and WebSocket). The request is checked before this returns, so a bad
 * topic, filter or offset is an error of the call, not of the stream; the events are those after
 * the log's head at the call (or after the given offset). Ending the iteration closes the
 * subscription.
 */
export async function liveEvents(
  context: Pick<ServiceContext, "db" | "principal">,
  request: unknown,
): Promise<AsyncIterableIterator<StoredEvent>> {
  const resolved = await resolveSubscription(context, subscribeRequestSchema.parse(request));
  // The iteration starts at its first `next()`: what is stored from now on (or after the given
  // offset, checked now) is delivered however long that takes.
  const after =
    resolved.after === undefined
      ? streamServices().tail.head()
      : await checkResumeOffset(context.db, resolved.after);
  const spec = { ...resolved, after: after.toString() };
  return new Repeater<StoredEvent>(async (push, stop) => {
    let queued = 0;
    let roomMade: (() => void) | undefined;
    const subscription = await openSubscription({
      db: context.db,
      tail: streamServices().tail,
      principal: context.principal,
      spec,
      transport: "graphql",
      subscriber: {
        send(event) {
          if (queued >= MAX_QUEUED) {
            stop(
              new AppError(
                "rate_limited",
                "Too far behind: subscribe again after your last offset.",
              ),
            );
            return;
          }
          queued += 1;
          void push(event).then(() => {
            queued -= 1;
            if (queued < ROOM) roomMade?.();
          });
        },
        room: () =>
          queued < ROOM ? Promise.resolve() : new Promise<void>((resolve) => (roomMade = resolve)),
        fail: (error) => stop(error),
      },
    });
    await stop;
    subscription.close();
  });
}
