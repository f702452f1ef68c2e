import { FILTER_OPERATORS, type FilterCondition } from "@/components/data/record-query";

import { LIVE_TOPICS, type LiveSubscription, type StreamEvent, type Topic } from "./live-types";
import { compareOffsets, isOffset } from "./offsets";

/**
 * What survives a reload of the Live page, in sessionStorage (this tab only): the subscription,
 * whether it was running, the offset to resume after and the newest events. The offset and the
 * events are written together, so the restored tail ends exactly where the resume begins.
 */
export type SavedLive = {
  subscription: LiveSubscription;
  active: boolean;
  lastOffset: string | null;
  events: StreamEvent[];
};

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export const SESSION_KEY = "lake.live.v1";
/** Events kept across a reload: enough to see where one was, small enough to write every second. */
export const SAVED_EVENTS = 500;
/** sessionStorage holds ~5 MB per origin, shared with the rest of the console. */
const MAX_CHARS = 1_000_000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function readFilter(value: unknown): FilterCondition | null {
  if (!isObject(value)) return null;
  const { path, op, negate, value: operand } = value;
  if (typeof path !== "string" || typeof operand !== "string" || typeof negate !== "boolean")
    return null;
  if (!(FILTER_OPERATORS as readonly unknown[]).includes(op)) return null;
  return { path, op: op as FilterCondition["op"], negate, value: operand };
}

function readSubscription(value: unknown): LiveSubscription | null {
  if (!isObject(value) || !Array.isArray(value.topics) || !Array.isArray(value.filters))
    return null;
  const topics = value.topics.filter((topic): topic is Topic =>
    (LIVE_TOPICS as readonly unknown[]).includes(topic),
  );
  const filters = value.filters.map(readFilter);
  if (topics.length === 0 || filters.some((filter) => filter === null)) return null;
  const dataset = typeof value.dataset === "string" ? value.dataset : null;
  return { topics, dataset, filters: filters as FilterCondition[] };
}

const isEvent = (value: unknown): value is StreamEvent =>
  isObject(value) &&
  typeof value.offset === "string" &&
  isOffset(value.offset) &&
  typeof value.id === "string" &&
  typeof value.topic === "string" &&
  isObject(value.payload);

/** The saved state, or null when there is none or it is not what this page wrote. */
export function readSavedLive(storage: StorageLike): SavedLive | null {
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(SESSION_KEY) ?? "null");
  } catch {
    return null;
  }
  if (!isObject(raw)) return null;
  const subscription = readSubscription(raw.subscription);
  if (!subscription) return null;
  const lastOffset =
    typeof raw.lastOffset === "string" && isOffset(raw.lastOffset) ? raw.lastOffset : null;
  // Only events up to the resume point: anything later would arrive a second time.
  const events = (Array.isArray(raw.events) ? raw.events : [])
    .filter(isEvent)
    .filter((event) => lastOffset !== null && compareOffsets(event.offset, lastOffset) <= 0);
  return { subscription, active: raw.active === true, lastOffset, events };
}

/** Writes the state, with fewer events (or none) when they would not fit. */
export function writeSavedLive(storage: StorageLike, saved: SavedLive) {
  let events = saved.events.slice(-SAVED_EVENTS);
  for (;;) {
    const text = JSON.stringify({ ...saved, events });
    try {
      if (text.length <= MAX_CHARS) {
        storage.setItem(SESSION_KEY, text);
        return;
      }
    } catch {
      // Quota exceeded: try again with fewer events.
    }
    if (events.length === 0) return;
    events = events.slice(Math.ceil(events.length / 2));
  }
}

export function clearSavedLive(storage: StorageLike) {
  try {
    storage.removeItem(SESSION_KEY);
  } catch {
    // Storage can be unavailable (privacy modes): nothing to clear then.
  }
}
