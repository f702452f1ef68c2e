import { readFileSync } from "node:fs";
import path from "node:path";

import avro from "avsc";
import { z } from "zod";

import { singleton } from "../../singleton";
import { AVRO_DIR } from "./contract-files";

/** An event-bus record as the current schema reads it (older records get the new fields' defaults). */
export type EventBusRecord = {
  id: string;
  topic: string;
  partitionKey: string;
  /** Milliseconds since the epoch. */
  eventTime: number;
  /** The payload as JSON text. */
  payload: string;
  datasetId: string | null;
  ownerId: string | null;
  /** Schema 3 on: the event's log offset, its read policy, and when it was stored (ms). */
  offset: string | null;
  policy: string | null;
  storedAt: number | null;
};

type OptionalFields = "datasetId" | "ownerId" | "offset" | "policy" | "storedAt";

const registrySchema = z.object({
  current: z.number().int().positive(),
  schemas: z.record(z.string().regex(/^\d+$/), z.string()),
});

// Confluent's wire format, so any Avro tool with a registry reads the bus: a zero byte, the
// writer's schema id (4 bytes, big-endian), then the Avro binary encoding.
const MAGIC = 0;
const HEADER_BYTES = 5;

const registry = () =>
  singleton("stream:avro-registry", () => {
    const index = registrySchema.parse(
      JSON.parse(readFileSync(path.join(AVRO_DIR, "schemas.json"), "utf8")),
    );
    const types = new Map<number, avro.Type>();
    for (const [id, file] of Object.entries(index.schemas)) {
      const schema = JSON.parse(readFileSync(path.join(AVRO_DIR, file), "utf8")) as avro.Schema;
      types.set(Number(id), avro.Type.forSchema(schema));
    }
    if (!types.has(index.current))
      throw new Error(`No Avro schema has the current id ${index.current}.`);
    return { current: index.current, types, resolvers: new Map<string, avro.Resolver>() };
  });

function typeOf(id: number): avro.Type {
  const type = registry().types.get(id);
  if (!type) throw new Error(`Unknown event-bus schema id ${id}.`);
  return type;
}

/** The id of the schema new records are written with. */
export const currentSchemaId = () => registry().current;

/** A record in the wire format, written with schema `schemaId` (the current one by default). */
export function encodeBusRecord(
  record: Partial<EventBusRecord> & Omit<EventBusRecord, OptionalFields>,
  schemaId = currentSchemaId(),
): Buffer {
  const value = {
    datasetId: null,
    ownerId: null,
    offset: null,
    policy: null,
    storedAt: null,
    ...record,
  };
  // Encoded after the header in a scratch buffer and copied out once: toBuffer plus a concat
  // made three buffers per event on the ingest path (bench:stream). A record too large for the
  // scratch takes that way still.
  const scratch = encodeScratch();
  const end = typeOf(schemaId).encode(value, scratch, HEADER_BYTES);
  if (end < 0) {
    const body = typeOf(schemaId).toBuffer(value);
    return Buffer.concat([header(Buffer.allocUnsafe(HEADER_BYTES), schemaId), body]);
  }
  return header(Buffer.from(scratch.subarray(0, end)), schemaId);
}

const encodeScratch = () => singleton("stream:avro-scratch", () => Buffer.allocUnsafe(64 * 1024));

function header(buffer: Buffer, schemaId: number): Buffer {
  buffer.writeUInt8(MAGIC, 0);
  buffer.writeUInt32BE(schemaId, 1);
  return buffer;
}

/**
 * A record read with the schema `readerId` (the current one by default), whatever schema wrote
 * it: Avro schema resolution fills fields the writer did not have with their defaults.
 */
export function decodeBusRecord(buffer: Buffer, readerId = currentSchemaId()): EventBusRecord {
  if (buffer.length < HEADER_BYTES || buffer.readUInt8(0) !== MAGIC) {
    throw new Error("Not an event-bus record: the magic byte is missing.");
  }
  const writerId = buffer.readUInt32BE(1);
  const reader = typeOf(readerId);
  const body = buffer.subarray(HEADER_BYTES);
  if (writerId === readerId) return reader.fromBuffer(body) as EventBusRecord;
  const key = `${writerId}>${readerId}`;
  const { resolvers } = registry();
  let resolver = resolvers.get(key);
  if (!resolver) {
    resolver = reader.createResolver(typeOf(writerId));
    resolvers.set(key, resolver);
  }
  return reader.fromBuffer(body, resolver) as EventBusRecord;
}
