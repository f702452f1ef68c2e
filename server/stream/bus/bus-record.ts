import { type ResourcePolicy } from "../../auth/resource-policy";
import { decodeBusRecord, encodeBusRecord } from "../contracts/event-bus-codec";
import { type StoredEvent } from "../events/stream-event";
import { type Topic } from "../events/topics";
import { payloadJson } from "../events/payload-json";

/** A stored event as the bus carries it: Avro, schema id first (contracts/event-bus-codec.ts). */
export function toBusRecord(event: StoredEvent): Buffer {
  return encodeBusRecord({
    id: event.eventId,
    topic: event.topic,
    partitionKey: event.partitionKey,
    eventTime: Date.parse(event.eventTime),
    payload: payloadJson(event.payload),
    datasetId: event.datasetId,
    ownerId: event.ownerId,
    offset: event.offset,
    policy: event.policy,
    storedAt: Date.parse(event.storedAt),
  });
}

/** The event back; undefined for a record written before offsets were carried (schema < 3). */
export function fromBusRecord(buffer: Buffer): StoredEvent | undefined {
  const record = decodeBusRecord(buffer);
  if (record.offset === null || record.ownerId === null || record.policy === null) return undefined;
  return {
    offset: record.offset,
    topic: record.topic as Topic,
    partitionKey: record.partitionKey,
    eventId: record.id,
    eventTime: new Date(record.eventTime).toISOString(),
    storedAt: new Date(record.storedAt ?? record.eventTime).toISOString(),
    ownerId: record.ownerId,
    policy: record.policy as ResourcePolicy,
    datasetId: record.datasetId,
    payload: JSON.parse(record.payload) as Record<string, unknown>,
  };
}
