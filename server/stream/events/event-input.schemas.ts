import { z } from "zod";

import { INGEST_TOPICS } from "./topics";

/** At most this many events per request or gRPC batch. */
export const MAX_EVENTS_PER_BATCH = 1000;
/** One event's payload, as JSON text. */
export const MAX_EVENT_BYTES = 1024 * 1024;

const label = z.string().min(1).max(256);

/** A measurement of the system_metrics input stream (the proto's SystemMetric). */
export const systemMetricSchema = z
  .object({
    host: label,
    name: label,
    value: z.number(),
    labels: z.record(label, z.string().max(1024)).optional(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/**
 * One event as a producer sends it over REST (gRPC maps its protobuf Event to the same shape).
 * Retried sends are recognised by `id`, or by `producer_id` + `sequence`; an event with neither
 * gets an id of the Lake's and is not idempotent.
 */
export const eventInputSchema = z
  .object({
    id: z.string().min(1).max(200).optional(),
    producer_id: z.string().min(1).max(200).optional(),
    sequence: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).optional(),
    topic: z.enum(INGEST_TOPICS, {
      error: `Unknown topic: producers send ${INGEST_TOPICS.join(" or ")}.`,
    }),
    partition_key: z.string().min(1, "The partition key must not be empty.").max(200),
    event_time: z.iso.datetime({ offset: true, error: "An ISO 8601 time with an offset." }),
    payload: z.record(z.string(), z.unknown()),
  })
  .strict()
  .refine((event) => (event.producer_id === undefined) === (event.sequence === undefined), {
    message: "producer_id and sequence come together.",
    path: ["sequence"],
  })
  .superRefine((event, context) => {
    if (event.topic !== "system_metrics") return;
    const metric = systemMetricSchema.safeParse(event.payload);
    for (const issue of metric.error?.issues ?? []) {
      context.addIssue({ ...issue, path: ["payload", ...issue.path] });
    }
  });

export type EventInput = z.infer<typeof eventInputSchema>;

/** The body of POST /api/v1/lake/stream/events: one event, or `{ events: [...] }`. */
export const ingestBodySchema = z.union([
  z
    .object({
      events: z
        .array(z.unknown())
        .min(1, "Send at least one event.")
        .max(MAX_EVENTS_PER_BATCH, `At most ${MAX_EVENTS_PER_BATCH} events per batch.`),
    })
    .strict(),
  z.record(z.string(), z.unknown()).refine((body) => !("events" in body)),
]);
