import { type ResourcePolicy } from "../../auth/resource-policy";
import { type Topic } from "./topics";

/** An event ready to be appended to the log. */
export type NewStreamEvent = {
  topic: Topic;
  partitionKey: string;
  /** The producer's id (or `producer_id:sequence`): a second append under one owner is a duplicate. */
  eventId: string;
  /** ISO 8601. */
  eventTime: string;
  ownerId: string;
  policy: ResourcePolicy;
  datasetId: string | null;
  payload: Record<string, unknown>;
};

/** An event in the log. The offset is a decimal string: it is opaque to clients and exceeds 2^53 one day. */
export type StoredEvent = NewStreamEvent & { offset: string; storedAt: string };

/** What clients receive (WebSocket, SSE, gRPC Subscribe): the owner and policy stay inside. */
export type StreamEventView = {
  offset: string;
  id: string;
  topic: Topic;
  partition_key: string;
  event_time: string;
  stored_at: string;
  dataset_id: string | null;
  payload: Record<string, unknown>;
};

export function toEventView(event: StoredEvent): StreamEventView {
  return {
    offset: event.offset,
    id: event.eventId,
    topic: event.topic,
    partition_key: event.partitionKey,
    event_time: event.eventTime,
    stored_at: event.storedAt,
    dataset_id: event.datasetId,
    payload: event.payload,
  };
}
