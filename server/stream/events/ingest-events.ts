import { randomUUID } from "node:crypto";

import { type z } from "zod";

import { authorize } from "../../auth/authorize";
import { type Principal } from "../../auth/principal";
import { AppError } from "../../errors/app-error";
import { findInputProblem } from "../../input/storable-input";
import { type ServiceContext } from "../../service-context";
import { type EventBus } from "../bus/event-bus";
import { eventInputSchema, MAX_EVENT_BYTES, type EventInput } from "./event-input.schemas";
import { type NewStreamEvent, type StoredEvent } from "./stream-event";
import { appendEvents } from "./stream-events.queries";
import { ingestedEvents, topicLabel } from "./ingest-metrics";
import { topicPolicy } from "./topics";
import { payloadJson } from "./payload-json";

export type EventAck = { index: number; event_id: string; offset: string; duplicate: boolean };
export type EventError = {
  index: number;
  event_id: string | null;
  error_code: "validation_failed";
  message: string;
  details: { path: string; message: string }[];
};
export type IngestResult = { acks: EventAck[]; errors: EventError[] };

const pathOf = (path: PropertyKey[]) => path.map(String).join(".");

/** The reasons an event cannot be stored, or the event as the log keeps it. */
function checkEvent(
  raw: unknown,
  ownerId: string,
): { event: NewStreamEvent } | { problems: { path: string; message: string }[] } {
  const parsed = eventInputSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue: z.core.$ZodIssue) => ({
        path: pathOf(issue.path),
        message: issue.message,
      })),
    };
  }
  const input: EventInput = parsed.data;
  const problem = findInputProblem(input.payload, ["payload"]);
  if (problem)
    return { problems: [{ path: problem.path, message: `The value ${problem.message}.` }] };
  const payload = payloadJson(input.payload);
  if (Buffer.byteLength(payload) > MAX_EVENT_BYTES) {
    return {
      problems: [
        { path: "payload", message: `An event's payload is at most ${MAX_EVENT_BYTES} bytes.` },
      ],
    };
  }
  return {
    event: {
      topic: input.topic,
      partitionKey: input.partition_key,
      eventId:
        input.id ??
        (input.producer_id !== undefined ? `${input.producer_id}:${input.sequence}` : randomUUID()),
      eventTime: new Date(input.event_time).toISOString(),
      ownerId,
      policy: topicPolicy(input.topic),
      datasetId: null,
      payload: input.payload,
    },
  };
}

/** A batch checked for its producer: what can be stored, and what cannot, by index. */
export type CheckedBatch = {
  valid: { index: number; event: NewStreamEvent }[];
  errors: EventError[];
};

/**
 * The first half of ingesting: the producer's permission and each event's validity, with no I/O,
 * so a door can check the next batch while the previous one is being stored.
 */
export function checkEvents(principal: Principal, events: unknown[]): CheckedBatch {
  authorize(principal, "write");
  const errors: EventError[] = [];
  const valid: CheckedBatch["valid"] = [];
  events.forEach((raw, index) => {
    const checked = checkEvent(raw, principal.userId);
    if ("event" in checked) valid.push({ index, event: checked.event });
    else {
      ingestedEvents().inc({ topic: topicLabel(raw), outcome: "rejected" });
      const id = (raw as { id?: unknown } | null)?.id;
      errors.push({
        index,
        event_id: typeof id === "string" ? id : null,
        error_code: "validation_failed",
        message: "The event is invalid.",
        details: checked.problems,
      });
    }
  });
  return { valid, errors };
}

/** Checked batches appended to the log: each batch's result, and the events new to the log. */
export type AppendedBatches = { results: IngestResult[]; stored: StoredEvent[] };

/**
 * The second half: appends checked batches to the log — several in one statement, a door's group
 * commit — with one result per batch. Batches are not atomic: every valid event is stored and
 * acknowledged with its offset, each invalid one is reported by its index (docs/decisions/0013) —
 * a producer retries only those, and a retry of the whole batch stores nothing twice. An event id
 * repeated within or across the batches is stored once. Publish `stored` before acknowledging.
 */
export async function appendBatches(
  db: ServiceContext["db"],
  batches: CheckedBatch[],
): Promise<AppendedBatches> {
  // One append per distinct owner and id: a repeat is acknowledged as a duplicate of the first.
  // Each event is keyed once: this runs for every event of every batch.
  const keyed = batches.map(({ valid }) =>
    valid.map((entry) => ({ ...entry, key: `${entry.event.ownerId} ${entry.event.eventId}` })),
  );
  const firstOf = new Map<string, number>();
  const unique: NewStreamEvent[] = [];
  for (const { key, event } of keyed.flat()) {
    if (!firstOf.has(key)) {
      firstOf.set(key, unique.length);
      unique.push(event);
    }
  }
  const appended = await appendEvents(db, unique);
  const stored: StoredEvent[] = [];
  appended.forEach((result, i) => {
    if (!result.duplicate)
      stored.push({ ...unique[i]!, offset: result.offset, storedAt: result.storedAt });
  });

  // Counted per topic and outcome, then added to /metrics once per batch rather than per event.
  const ingested = new Map<string, { stored: number; duplicate: number }>();
  const acked = new Set<string>();
  const results = batches.map(({ errors }, b) => ({
    acks: keyed[b]!.map(({ index, event, key }) => {
      const result = appended[firstOf.get(key)!]!;
      const duplicate = result.duplicate || acked.has(key);
      acked.add(key);
      const counts = ingested.get(event.topic) ?? { stored: 0, duplicate: 0 };
      counts[duplicate ? "duplicate" : "stored"] += 1;
      ingested.set(event.topic, counts);
      return {
        index,
        event_id: event.eventId,
        offset: result.offset,
        duplicate,
      };
    }),
    errors,
  }));
  for (const [topic, counts] of ingested) {
    for (const outcome of ["stored", "duplicate"] as const) {
      if (counts[outcome] > 0) ingestedEvents().inc({ topic, outcome }, counts[outcome]);
    }
  }
  return { results, stored };
}

/** Checks and stores a producer's events: one request's worth. */
export async function ingestEvents(
  options: ServiceContext & { events: unknown[]; bus: EventBus },
): Promise<IngestResult> {
  const batch = checkEvents(options.principal, options.events);
  const { results, stored } = await appendBatches(options.db, [batch]);
  await options.bus.publish(stored);
  return results[0]!;
}

/** A batch in which nothing could be stored is a 400 that lists every event's problems. */
export function assertSomethingStored(result: IngestResult): void {
  if (result.acks.length === 0 && result.errors.length > 0) {
    throw new AppError("validation_failed", "No event of the batch is valid.", result.errors);
  }
}
