import { z } from "zod";

import { getImportJob } from "../../../imports/jobs/get-import-job";
import { isTerminal } from "../../../imports/jobs/import-events";
import { type ImportJobView } from "../../../imports/imports.schemas";
import { toEventView, type StoredEvent } from "../../../stream/events/stream-event";
import { liveEvents } from "../../../stream/live/live-events";
import { type GraphQLContext } from "../graphql-context";

type EventArguments = { filter?: Record<string, string> | null; after?: string | null };

const subscription = (args: EventArguments) => ({
  ...(args.filter ? { filter: args.filter } : {}),
  ...(args.after ? { after: args.after } : {}),
});

/** Each pushed event, as the schema's StreamEvent (the stream's own client view). */
const asStreamEvent = { resolve: (event: StoredEvent) => toEventView(event) };

/**
 * An import's state now, then again at each of its events on the log's imports topic (from
 * whichever instance runs it), until it ends. The events are those after the log's head before
 * the first read, so no change falls in between.
 */
async function importProgress(
  context: GraphQLContext,
  id: string,
): Promise<AsyncGenerator<ImportJobView>> {
  const events = await liveEvents(context.services, {
    topics: ["imports"],
    filter: { "payload.id": `eq.${id}` },
  });
  const read = () => getImportJob({ ...context.services, id });
  const first = await read();
  return (async function* () {
    try {
      yield first;
      if (isTerminal(first.status)) return;
      for await (const _ of events) {
        const job = await read();
        yield job;
        if (isTerminal(job.status)) return;
      }
    } finally {
      await events.return?.();
    }
  })();
}

/** Subscriptions: the stream's events, authorized per event, and an import's progress. */
export const liveResolvers = {
  Subscription: {
    recordChanges: {
      subscribe: (
        _: unknown,
        args: EventArguments & { dataset: string },
        { services }: GraphQLContext,
      ) =>
        liveEvents(services, { topics: ["records"], dataset: args.dataset, ...subscription(args) }),
      ...asStreamEvent,
    },
    events: {
      subscribe: (
        _: unknown,
        args: EventArguments & { topics: string[] },
        { services }: GraphQLContext,
      ) => liveEvents(services, { topics: args.topics, ...subscription(args) }),
      ...asStreamEvent,
    },
    importProgress: {
      subscribe: (_: unknown, args: { id: string }, context: GraphQLContext) =>
        importProgress(context, z.uuid().parse(args.id)),
      resolve: (job: ImportJobView) => job,
    },
  },
};
