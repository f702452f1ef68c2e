import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { readSavedLive, writeSavedLive } from "./live-session";
import { createLiveStore, subscribeBody } from "./live-store";
import type { LiveSubscription, StreamEvent } from "./live-types";
import type { StreamConnectionOptions } from "./stream-connection";

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

const event = (offset: number): StreamEvent => ({
  offset: String(offset),
  id: `e${offset}`,
  topic: "user_events",
  partition_key: "u1",
  event_time: new Date().toISOString(),
  stored_at: new Date().toISOString(),
  dataset_id: null,
  payload: { action: "click" },
});

const CLICKS: LiveSubscription = {
  topics: ["user_events"],
  dataset: null,
  filters: [{ path: "action", op: "eq", negate: false, value: "click" }],
};

function setup(storage = new MemoryStorage(), maxEvents = 5) {
  const frames: (() => void)[] = [];
  const connections: { options: StreamConnectionOptions; closed: boolean; last: string | null }[] =
    [];
  const store = createLiveStore({
    url: "ws://lake.test/api/v1/lake/stream",
    storage,
    maxEvents,
    requestFrame: (callback) => frames.push(callback),
    connect: (options) => {
      const connection = { options, closed: false, last: options.after };
      connections.push(connection);
      return {
        lastOffset: () => connection.last,
        close: () => void (connection.closed = true),
      };
    },
  });
  const emit = (...offsets: number[]) => {
    const connection = connections.at(-1)!;
    for (const offset of offsets) {
      connection.last = String(offset);
      connection.options.onEvent(event(offset));
    }
  };
  const runFrames = () => frames.splice(0).forEach((frame) => frame());
  return { store, storage, frames, connections, emit, runFrames };
}

beforeEach(() => {
  vi.stubGlobal("window", new EventTarget());
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe("subscribeBody", () => {
  it("writes filters in the REST syntax and sends a dataset only with records", () => {
    expect(subscribeBody(CLICKS)).toEqual({
      topics: ["user_events"],
      filter: { "payload.action": "eq.click" },
    });
    expect(subscribeBody({ topics: ["user_events"], dataset: "d1", filters: [] })).toEqual({
      topics: ["user_events"],
    });
    expect(subscribeBody({ topics: ["records"], dataset: "d1", filters: [] })).toEqual({
      topics: ["records"],
      dataset: "d1",
    });
  });
});

describe("createLiveStore", () => {
  it("hands React one snapshot per frame, however many events arrived", () => {
    const { store, emit, runFrames, frames } = setup();
    const listener = vi.fn();
    store.subscribe(listener);
    store.start(CLICKS);
    listener.mockClear();
    emit(1, 2, 3);
    expect(listener).not.toHaveBeenCalled();
    expect(frames).toHaveLength(1);
    runFrames();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toMatchObject({ received: 3, lastOffset: "3" });
    expect(store.getSnapshot().events.map((item) => item.offset)).toEqual(["1", "2", "3"]);
  });

  it("keeps a bounded buffer but counts everything received", () => {
    const { store, emit, runFrames } = setup();
    store.start(CLICKS);
    emit(1, 2, 3, 4);
    runFrames();
    emit(5, 6, 7, 8);
    runFrames();
    expect(store.getSnapshot().events.map((item) => item.offset)).toEqual([
      "4",
      "5",
      "6",
      "7",
      "8",
    ]);
    expect(store.getSnapshot().received).toBe(8);
    // Without frames (a hidden tab) the pending list stays bounded too.
    emit(...Array.from({ length: 20 }, (_, index) => 9 + index));
    runFrames();
    expect(store.getSnapshot().events.map((item) => item.offset)).toEqual([
      "24",
      "25",
      "26",
      "27",
      "28",
    ]);
    expect(store.getSnapshot().received).toBe(28);
  });

  it("a new subscription starts an empty tail, after the offset asked for", () => {
    const { store, emit, runFrames, connections } = setup();
    store.start(CLICKS);
    emit(1);
    runFrames();
    const before = store.getSnapshot().generation;
    store.start({ ...CLICKS, filters: [] }, "77");
    expect(connections[0]!.closed).toBe(true);
    expect(connections[1]!.options).toMatchObject({
      after: "77",
      body: { topics: ["user_events"] },
    });
    expect(store.getSnapshot()).toMatchObject({ events: [], received: 0, lastOffset: "77" });
    expect(store.getSnapshot().generation).toBe(before + 1);
  });

  it("saves the tail with its resume offset, and a new page resumes from them", () => {
    const first = setup();
    first.store.attach();
    first.store.start(CLICKS);
    first.emit(1, 2, 3);
    // Not rendered yet: saving takes the pending events too.
    first.store.detach();
    expect(first.connections[0]!.closed).toBe(true);
    expect(readSavedLive(first.storage)).toMatchObject({ active: true, lastOffset: "3" });

    const second = setup(first.storage);
    expect(second.store.getSnapshot()).toMatchObject({
      subscription: CLICKS,
      active: true,
      lastOffset: "3",
      received: 3,
    });
    second.store.attach();
    expect(second.connections[0]!.options.after).toBe("3");
    second.emit(4);
    second.runFrames();
    expect(second.store.getSnapshot().events.map((item) => item.offset)).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
  });

  it("a stopped subscription is not resumed by the next page", () => {
    const storage = new MemoryStorage();
    writeSavedLive(storage, { subscription: CLICKS, active: true, lastOffset: "9", events: [] });
    const page = setup(storage);
    page.store.attach();
    page.store.stop();
    page.store.detach();
    const next = setup(storage);
    next.store.attach();
    expect(next.connections).toHaveLength(0);
    expect(next.store.getSnapshot()).toMatchObject({ subscription: CLICKS, active: false });
  });

  it("an error ends the subscription", () => {
    const { store, connections } = setup();
    store.start(CLICKS);
    connections[0]!.options.onState({ status: "error", message: "no", attempt: 0 });
    expect(store.getSnapshot()).toMatchObject({ active: false, connection: { status: "error" } });
  });
});
