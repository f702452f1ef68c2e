import { type ResourcePolicy } from "../../auth/resource-policy";
import { type StoredEvent } from "../events/stream-event";
import { type WindowFunction } from "./aggregation-rule.schemas";

/** A rule as the engine applies it: paths split, durations in milliseconds. */
export type WindowRule = {
  id: string;
  name: string;
  topic: string;
  windowMs: number;
  graceMs: number;
  functions: WindowFunction[];
  /** The payload path of the aggregated number, without "payload"; null: count events. */
  field: string[] | null;
  /** Each key as the rule names it, and where its value is read. */
  groupBy: { key: string; path: string[] | "partition_key" }[];
};

export function compileRule(rule: {
  id: string;
  name: string;
  topic: string;
  windowSeconds: number;
  graceSeconds: number;
  functions: WindowFunction[];
  field: string | null;
  groupBy: string[];
}): WindowRule {
  const pathOf = (key: string) => key.split(".").slice(1);
  return {
    id: rule.id,
    name: rule.name,
    topic: rule.topic,
    windowMs: rule.windowSeconds * 1000,
    graceMs: rule.graceSeconds * 1000,
    functions: rule.functions,
    field: rule.field === null ? null : pathOf(rule.field),
    groupBy: rule.groupBy.map((key) => ({
      key,
      path: key === "partition_key" ? "partition_key" : pathOf(key),
    })),
  };
}

/** Which window of which rule, for which group: everything about a window but its numbers. */
export type WindowIdentity = {
  /** `ruleId|start|groupKey`: unique, and the store's key. */
  key: string;
  ruleId: string;
  start: number;
  end: number;
  /** When the window closes: its end plus the rule's grace (ms since the epoch). */
  closeAt: number;
  /** The group's values as a JSON array, the owner first on an owner_only topic. */
  groupKey: string;
  groupValues: Record<string, unknown>;
  ownerId: string | null;
  policy: ResourcePolicy;
};

/** What a window holds so far. min and max are null until a number arrives. */
export type WindowNumbers = {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** Events whose field was missing or not a number. */
  rejected: number;
};

/** A batch's contribution to one window, with the offsets of the events it came from. */
export type WindowDelta = WindowIdentity & WindowNumbers & { offsets: string[] };

const EMPTY: WindowNumbers = { count: 0, sum: 0, min: null, max: null, rejected: 0 };

export function mergeNumbers(into: WindowNumbers, from: WindowNumbers): WindowNumbers {
  return {
    count: into.count + from.count,
    sum: into.sum + from.sum,
    min: from.min === null ? into.min : into.min === null ? from.min : Math.min(into.min, from.min),
    max: from.max === null ? into.max : into.max === null ? from.max : Math.max(into.max, from.max),
    rejected: into.rejected + from.rejected,
  };
}

function valueAt(payload: unknown, path: string[]): unknown {
  let value = payload;
  for (const part of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Events that came after their window had closed: kept, by offset, for re-aggregation. */
export type LateEvents = { ruleId: string; start: number; groupKey: string; offsets: string[] };

/** A batch's windows: what its on-time events add to them, and its late events by window. */
export type BatchDeltas = { deltas: WindowDelta[]; late: LateEvents[] };

/**
 * Each event's contribution to its window of every rule on its topic, combined per window, so a
 * store applies one update per window and batch, however many events it held. The window is the
 * event's by event time. It is late when its window closed before the Lake stored it: when
 * `coveredThrough(event)`, the log's time its partition was accounted for before this batch (so
 * the event was committed after it), has passed the window's close time. The engine's own delay
 * in reading the log therefore never makes an event late.
 */
export function windowDeltas(
  rules: WindowRule[],
  events: StoredEvent[],
  coveredThrough: (event: StoredEvent) => number,
): BatchDeltas {
  const deltas = new Map<string, WindowDelta>();
  const late = new Map<string, LateEvents>();
  for (const event of events) {
    const time = Date.parse(event.eventTime);
    const through = coveredThrough(event);
    for (const rule of rules) {
      if (rule.topic !== event.topic) continue;
      const start = Math.floor(time / rule.windowMs) * rule.windowMs;
      const groupValues: Record<string, unknown> = {};
      const values: unknown[] = [];
      for (const { key, path } of rule.groupBy) {
        const value =
          path === "partition_key" ? event.partitionKey : (valueAt(event.payload, path) ?? null);
        groupValues[key] = value;
        values.push(value);
      }
      const ownerId = event.policy === "user_data" ? event.ownerId : null;
      const groupKey = JSON.stringify(ownerId ? [ownerId, ...values] : values);
      const key = `${rule.id}|${start}|${groupKey}`;
      const closeAt = start + rule.windowMs + rule.graceMs;
      if (closeAt <= through) {
        const entry = late.get(key) ?? { ruleId: rule.id, start, groupKey, offsets: [] };
        entry.offsets.push(event.offset);
        late.set(key, entry);
        continue;
      }
      let delta = deltas.get(key);
      if (!delta) {
        delta = {
          key,
          ruleId: rule.id,
          start,
          end: start + rule.windowMs,
          closeAt,
          groupKey,
          groupValues,
          ownerId,
          policy: event.policy,
          ...EMPTY,
          offsets: [],
        };
        deltas.set(key, delta);
      }
      delta.offsets.push(event.offset);
      if (rule.field === null) {
        delta.count += 1;
        continue;
      }
      const value = valueAt(event.payload, rule.field);
      if (typeof value !== "number" || !Number.isFinite(value)) {
        delta.rejected += 1;
        continue;
      }
      // In place: this runs for every event and rule of a batch.
      delta.count += 1;
      delta.sum += value;
      if (delta.min === null || value < delta.min) delta.min = value;
      if (delta.max === null || value > delta.max) delta.max = value;
    }
  }
  return { deltas: [...deltas.values()], late: [...late.values()] };
}
