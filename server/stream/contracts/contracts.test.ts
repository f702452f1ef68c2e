import { type MethodDefinition, type ServiceDefinition } from "@grpc/proto-loader";
import type protobuf from "protobufjs";
import { describe, expect, it } from "vitest";

import { currentSchemaId, decodeBusRecord, encodeBusRecord } from "./event-bus-codec";
import { STREAM_PACKAGE, streamPackageDefinition, streamProtoRoot } from "./stream-proto";

const time = { seconds: "1764806400", nanos: 250_000_000 };
const event = {
  id: "evt-1",
  topic: "user_events",
  partitionKey: "user-42",
  eventTime: time,
  json: { fields: { action: { stringValue: "click" }, n: { numberValue: 3 } } },
  producerId: "web",
  sequence: "9007199254740993", // past 2^53: must survive as a 64-bit integer
};
const { json: _json, ...eventWithoutPayload } = event;
const metric = { host: "h1", name: "cpu", value: 0.75, labels: { core: "0" }, timestamp: time };
const point = { series: "cpu.h1", timestamp: time, value: 1.5, tags: { dc: "fra" } };

/** One filled example of every message of the package: the test fails for a message without one. */
const EXAMPLES: Record<string, object> = {
  Event: event,
  SystemMetric: metric,
  TimeSeriesPoint: point,
  IngestBatch: {
    batchId: "b1",
    events: [event, { ...eventWithoutPayload, id: "evt-2", systemMetric: metric }],
  },
  IngestAck: {
    batchId: "b1",
    acks: [{ index: 0, eventId: "evt-1", offset: "1764806400250-0", duplicate: true }],
    errors: [
      { index: 1, eventId: "evt-2", errorCode: "validation_failed", message: "no partition key" },
    ],
  },
  EventAck: { index: 3, eventId: "e", offset: "1-0", duplicate: false },
  EventError: { index: 1, eventId: "e", errorCode: "forbidden", message: "no" },
  WriteTimeSeriesRequest: { points: [point, point] },
  WriteTimeSeriesResponse: { written: 2 },
  SubscribeRequest: {
    topics: ["records", "user_events"],
    fromOffset: "1-0",
    dataset: "orders",
    filter: { "payload.status": "eq.open" },
  },
  StreamMessage: {
    offset: "1764806400250-1",
    event: { ...eventWithoutPayload, timeSeriesPoint: point },
  },
  ProcessBatch: {
    batchId: "11-12",
    messages: [
      { offset: "11", event },
      { offset: "12", event },
    ],
  },
  ProcessResult: { batchId: "11-12", points: [point] },
};

const toObject = (type: protobuf.Type, message: protobuf.Message) =>
  type.toObject(message, { longs: String, defaults: false, oneofs: false });

describe(`the ${STREAM_PACKAGE} protobuf contracts`, () => {
  const root = streamProtoRoot();
  const types = root.lookup(STREAM_PACKAGE)!.toJSON().nested as Record<
    string,
    { fields?: unknown; methods?: unknown }
  >;
  const messageNames = Object.keys(types).filter((name) => types[name]!.fields);

  it("has an example for every message", () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(messageNames.sort());
  });

  it.each(messageNames)("%s round-trips through its binary encoding", (name) => {
    const type = root.lookupType(`${STREAM_PACKAGE}.${name}`);
    const example = EXAMPLES[name]!;
    const message = type.fromObject(example);
    const decoded = type.decode(type.encode(message).finish());
    expect(toObject(type, decoded)).toEqual(toObject(type, message));
    // Nothing of the example was dropped on the way in.
    expect(toObject(type, message)).toMatchObject(JSON.parse(JSON.stringify(example)) as object);
  });

  it("every gRPC method's request and response round-trip through grpc's own serializers", () => {
    const service = streamPackageDefinition()[
      `${STREAM_PACKAGE}.StreamService`
    ] as ServiceDefinition;
    const rpcs = root.lookupService(`${STREAM_PACKAGE}.StreamService`).methods;
    expect(Object.keys(service).sort()).toEqual(["Ingest", "Subscribe", "WriteTimeSeries"]);
    for (const [name, rpc] of Object.entries(rpcs)) {
      const method = service[name] as MethodDefinition<object, object>;
      for (const [serialize, deserialize, typeName] of [
        [method.requestSerialize, method.requestDeserialize, rpc.requestType],
        [method.responseSerialize, method.responseDeserialize, rpc.responseType],
      ] as const) {
        const example = EXAMPLES[typeName]!;
        expect(deserialize(serialize(example)), `${name} ${typeName}`).toMatchObject(example);
      }
    }
  });
});

describe("the event-bus Avro records", () => {
  const record = {
    id: "evt-1",
    topic: "records",
    partitionKey: "user-42",
    eventTime: 1_764_806_400_250,
    payload: '{"a":1}',
  };

  it("round-trip with the current schema, which carries its id", () => {
    const full = {
      ...record,
      datasetId: "ds-1",
      ownerId: "u-1",
      offset: "9007199254740993",
      policy: "user_data",
      storedAt: 1_764_806_400_300,
    };
    const buffer = encodeBusRecord(full);
    expect(buffer.readUInt8(0)).toBe(0);
    expect(buffer.readUInt32BE(1)).toBe(currentSchemaId());
    expect(decodeBusRecord(buffer)).toEqual(full);
  });

  it("round-trip records of any size, none overwritten by the next", () => {
    // Small ones are encoded in a shared scratch buffer, a 1 MB payload does not fit it.
    const small = encodeBusRecord(record);
    const other = encodeBusRecord({ ...record, id: "e2", payload: '{"b":2}' });
    const large = { ...record, payload: JSON.stringify({ text: "x".repeat(1024 * 1024) }) };
    const big = encodeBusRecord(large);
    expect(decodeBusRecord(big)).toMatchObject(large);
    expect(decodeBusRecord(small)).toMatchObject(record);
    expect(decodeBusRecord(other)).toMatchObject({ id: "e2", payload: '{"b":2}' });
  });

  it("old records are read by the new schema, new fields at their defaults", () => {
    const written = encodeBusRecord(record, 1);
    expect(written.readUInt32BE(1)).toBe(1);
    const absent = { datasetId: null, ownerId: null, offset: null, policy: null, storedAt: null };
    expect(decodeBusRecord(written)).toEqual({ ...record, ...absent });
    const v2 = encodeBusRecord({ ...record, datasetId: "ds-1", ownerId: "u-1" }, 2);
    expect(decodeBusRecord(v2)).toEqual({
      ...record,
      ...absent,
      datasetId: "ds-1",
      ownerId: "u-1",
    });
  });

  it("new records are read by an old reader, which skips what it does not know", () => {
    const written = encodeBusRecord({ ...record, datasetId: "ds-1", ownerId: "u-1" });
    expect(decodeBusRecord(written, 1)).toEqual(record);
  });

  it("refuses bytes that are not a record of a known schema", () => {
    expect(() => decodeBusRecord(Buffer.from("{}"))).toThrow(/magic/);
    const unknown = encodeBusRecord(record);
    unknown.writeUInt32BE(99, 1);
    expect(() => decodeBusRecord(unknown)).toThrow(/Unknown event-bus schema id 99/);
  });
});
