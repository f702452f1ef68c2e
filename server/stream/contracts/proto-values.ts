// Conversions between the gRPC objects of datapunk.stream.v1 (as @grpc/proto-loader decodes them:
// camelCase fields, 64-bit integers as strings, oneofs named) and the Lake's JSON shapes.
import { type StoredEvent } from "../events/stream-event";

export type Timestamp = { seconds: string | number; nanos: number };

type Value =
  | { kind: "nullValue"; nullValue?: "NULL_VALUE" }
  | { kind: "numberValue"; numberValue: number }
  | { kind: "stringValue"; stringValue: string }
  | { kind: "boolValue"; boolValue: boolean }
  | { kind: "structValue"; structValue: Struct }
  | { kind: "listValue"; listValue: { values: Value[] } };
export type Struct = { fields: Record<string, Value> };

export type ProtoEvent = {
  id: string;
  topic: string;
  partitionKey: string;
  eventTime: Timestamp | null;
  payload?: "json" | "systemMetric" | "timeSeriesPoint";
  json?: Struct | null;
  systemMetric?: ProtoMetric | null;
  timeSeriesPoint?: ProtoPoint | null;
  producerId: string;
  sequence: string;
};
export type ProtoMetric = {
  host: string;
  name: string;
  value: number;
  labels: Record<string, string>;
  timestamp: Timestamp | null;
};
export type ProtoPoint = {
  series: string;
  timestamp: Timestamp | null;
  value: number;
  tags: Record<string, string>;
};

const MAX_DEPTH = 64;

function valueToJson(value: Value, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new RangeError("The payload is nested too deeply.");
  switch (value.kind) {
    case "numberValue":
      return value.numberValue;
    case "stringValue":
      return value.stringValue;
    case "boolValue":
      return value.boolValue;
    case "structValue":
      return structToJson(value.structValue, depth + 1);
    case "listValue":
      return (value.listValue.values ?? []).map((item) => valueToJson(item, depth + 1));
    default:
      return null;
  }
}

export function structToJson(struct: Struct, depth = 0): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  const fields = struct.fields ?? {};
  for (const key of Object.keys(fields)) json[key] = valueToJson(fields[key]!, depth);
  return json;
}

function jsonToValue(value: unknown): Value {
  if (value === null || value === undefined) return { kind: "nullValue", nullValue: "NULL_VALUE" };
  if (typeof value === "number") return { kind: "numberValue", numberValue: value };
  if (typeof value === "string") return { kind: "stringValue", stringValue: value };
  if (typeof value === "boolean") return { kind: "boolValue", boolValue: value };
  if (Array.isArray(value))
    return { kind: "listValue", listValue: { values: value.map(jsonToValue) } };
  return { kind: "structValue", structValue: jsonToStruct(value as Record<string, unknown>) };
}

export function jsonToStruct(json: Record<string, unknown>): Struct {
  return { fields: Object.fromEntries(Object.entries(json).map(([k, v]) => [k, jsonToValue(v)])) };
}

/** ISO 8601, or undefined for a missing or impossible time (validation then names it). */
export function timestampToIso(timestamp: Timestamp | null | undefined): string | undefined {
  if (!timestamp) return undefined;
  const ms = Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? "invalid" : date.toISOString();
}

export function isoToTimestamp(iso: string): Timestamp {
  const ms = Date.parse(iso);
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

const metricToJson = (metric: ProtoMetric) => ({
  host: metric.host,
  name: metric.name,
  value: metric.value,
  ...(Object.keys(metric.labels ?? {}).length > 0 ? { labels: metric.labels } : {}),
  ...(metric.timestamp ? { timestamp: timestampToIso(metric.timestamp) } : {}),
});

/** A protobuf Event as the REST body's event: the same validation then applies to both. */
export function eventInputOf(event: ProtoEvent): Record<string, unknown> {
  let payload: unknown;
  try {
    if (event.payload === "json" && event.json) payload = structToJson(event.json);
    else if (event.payload === "systemMetric" && event.systemMetric) {
      payload = metricToJson(event.systemMetric);
    } else if (event.payload === "timeSeriesPoint" && event.timeSeriesPoint) {
      const point = event.timeSeriesPoint;
      payload = { ...point, timestamp: timestampToIso(point.timestamp) };
    }
  } catch {
    payload = "too deep";
  }
  // Assigned rather than spread: this runs for every event of every Ingest batch.
  const input: Record<string, unknown> = {};
  if (event.id) input.id = event.id;
  if (event.producerId) {
    input.producer_id = event.producerId;
    input.sequence = String(event.sequence);
  }
  input.topic = event.topic;
  input.partition_key = event.partitionKey;
  input.event_time = timestampToIso(event.eventTime);
  input.payload = payload;
  return input;
}

/** A stored event as the proto's Event: system metrics typed, everything else as a Struct. */
export function protoEventOf(event: StoredEvent): Record<string, unknown> {
  const base = {
    id: event.eventId,
    topic: event.topic,
    partitionKey: event.partitionKey,
    eventTime: isoToTimestamp(event.eventTime),
  };
  if (event.topic === "system_metrics") {
    const metric = event.payload as {
      host: string;
      name: string;
      value: number;
      labels?: object;
      timestamp?: string;
    };
    return {
      ...base,
      systemMetric: {
        host: metric.host,
        name: metric.name,
        value: metric.value,
        labels: metric.labels ?? {},
        ...(metric.timestamp ? { timestamp: isoToTimestamp(metric.timestamp) } : {}),
      },
    };
  }
  return { ...base, json: jsonToStruct(event.payload) };
}
