import { describe, expect, it } from "vitest";

import {
  readSavedLive,
  SAVED_EVENTS,
  SESSION_KEY,
  writeSavedLive,
  type SavedLive,
} from "./live-session";
import type { StreamEvent } from "./live-types";

class MemoryStorage {
  items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (value.length > this.quota) throw new DOMException("full", "QuotaExceededError");
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const event = (offset: number): StreamEvent => ({
  offset: String(offset),
  id: `e${offset}`,
  topic: "user_events",
  partition_key: "u1",
  event_time: "2026-12-04T10:00:00.000Z",
  stored_at: "2026-12-04T10:00:00.010Z",
  dataset_id: null,
  payload: { n: offset, text: "x".repeat(100) },
});

const saved = (events: StreamEvent[], lastOffset: string | null): SavedLive => ({
  subscription: {
    topics: ["user_events", "records"],
    dataset: "d1",
    filters: [{ path: "action", op: "eq", negate: false, value: "click" }],
  },
  active: true,
  lastOffset,
  events,
});

describe("live session", () => {
  it("reads back what it wrote", () => {
    const storage = new MemoryStorage();
    const state = saved([event(1), event(2)], "2");
    writeSavedLive(storage, state);
    expect(readSavedLive(storage)).toEqual(state);
  });

  it("keeps the newest events only, and none past the resume offset", () => {
    const storage = new MemoryStorage();
    const many = Array.from({ length: SAVED_EVENTS + 10 }, (_, index) => event(index + 1));
    writeSavedLive(storage, saved(many, String(SAVED_EVENTS + 5)));
    const read = readSavedLive(storage)!;
    expect(read.events[0]!.offset).toBe("11");
    expect(read.events.at(-1)!.offset).toBe(String(SAVED_EVENTS + 5));
    expect(read.events).toHaveLength(SAVED_EVENTS - 5);
  });

  it("drops events rather than the offset when storage is short", () => {
    const storage = new MemoryStorage(1_000);
    writeSavedLive(storage, saved([event(1), event(2), event(3), event(4), event(5)], "5"));
    const read = readSavedLive(storage)!;
    expect(read.lastOffset).toBe("5");
    expect(read.events.length).toBeLessThan(5);
    expect(read.events.at(-1)?.offset ?? "5").toBe("5");
  });

  it("ignores what it cannot trust", () => {
    const storage = new MemoryStorage();
    expect(readSavedLive(storage)).toBeNull();
    for (const junk of [
      "{",
      "[]",
      JSON.stringify({ subscription: { topics: ["nope"], filters: [] } }),
      JSON.stringify({ subscription: { topics: ["user_events"], filters: [{ path: 1 }] } }),
    ]) {
      storage.setItem(SESSION_KEY, junk);
      expect(readSavedLive(storage)).toBeNull();
    }
    storage.setItem(
      SESSION_KEY,
      JSON.stringify({
        subscription: { topics: ["user_events"], dataset: null, filters: [] },
        lastOffset: "x1",
        events: [event(1)],
      }),
    );
    expect(readSavedLive(storage)).toMatchObject({ active: false, lastOffset: null, events: [] });
  });
});
