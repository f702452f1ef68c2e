import { conditionParameter } from "@/components/data/record-query";

import { appendBounded } from "./event-buffer";
import { readSavedLive, writeSavedLive } from "./live-session";
import type { ConnectionState, LiveSubscription, StreamEvent } from "./live-types";
import { RateWindow, type RatePoint } from "./rate-window";
import {
  openStreamConnection,
  type StreamConnection,
  type StreamConnectionOptions,
  type SubscribeBody,
} from "./stream-connection";

export type LiveSnapshot = {
  /** The subscription running, or the last one (the form starts from it). */
  subscription: LiveSubscription | null;
  active: boolean;
  connection: ConnectionState;
  /** The newest events, oldest first, at most `maxEvents`. */
  events: readonly StreamEvent[];
  /** Events received since the tail was last emptied, those the buffer let go included. */
  received: number;
  /** Changes whenever the tail starts over (subscribe, clear): a view held before is stale. */
  generation: number;
  lastOffset: string | null;
  notice: string | null;
};

export type LiveStore = {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => LiveSnapshot;
  /** A new subscription from now, or after `after`; the tail starts empty. */
  start: (subscription: LiveSubscription, after?: string | null) => void;
  stop: () => void;
  clear: () => void;
  dismissNotice: () => void;
  /** The page is showing: reconnect a running subscription, save the state as it goes. */
  attach: () => void;
  /** The page is going: save the state (still running, so coming back resumes) and disconnect. */
  detach: () => void;
  series: (nowMs: number) => RatePoint[];
};

type StorageLike = Parameters<typeof readSavedLive>[0];

export type LiveStoreOptions = {
  url: string;
  /** sessionStorage; null where it is unavailable (nothing survives a reload then). */
  storage: StorageLike | null;
  maxEvents?: number;
  /** requestAnimationFrame: React hears of new events at most once a frame. */
  requestFrame?: (callback: () => void) => void;
  connect?: (options: StreamConnectionOptions) => StreamConnection;
  now?: () => number;
};

export const MAX_EVENTS = 5_000;
const SAVE_EVERY_MS = 1_000;
const IDLE: ConnectionState = { status: "idle", attempt: 0 };

/** The subscribe message's topics, dataset and filter for a subscription. */
export function subscribeBody(subscription: LiveSubscription): SubscribeBody {
  const body: SubscribeBody = { topics: subscription.topics };
  if (subscription.topics.includes("records") && subscription.dataset) {
    body.dataset = subscription.dataset;
  }
  if (subscription.filters.length > 0) {
    body.filter = Object.fromEntries(subscription.filters.map(conditionParameter));
  }
  return body;
}

/**
 * The Live page's state outside React: the connection, a bounded buffer of events, per-second
 * rates and lags, and what a reload needs. Events at thousands per second land in a pending list;
 * the snapshot React renders is rebuilt once per animation frame.
 */
export function createLiveStore(options: LiveStoreOptions): LiveStore {
  const { url, storage } = options;
  const maxEvents = options.maxEvents ?? MAX_EVENTS;
  const requestFrame = options.requestFrame ?? ((callback) => requestAnimationFrame(callback));
  const connect = options.connect ?? openStreamConnection;
  const now = options.now ?? Date.now;

  const saved = storage ? readSavedLive(storage) : null;
  let snapshot: LiveSnapshot = {
    subscription: saved?.subscription ?? null,
    active: saved?.active ?? false,
    connection: IDLE,
    events: saved?.events ?? [],
    received: saved?.events.length ?? 0,
    generation: 0,
    lastOffset: saved?.lastOffset ?? null,
    notice: null,
  };
  const listeners = new Set<() => void>();
  const rates = new RateWindow();
  let pending: StreamEvent[] = [];
  /** Pending events let go unseen (a hidden tab); they still count as received. */
  let droppedPending = 0;
  let frameRequested = false;
  let connection: StreamConnection | null = null;
  let saveTimer: ReturnType<typeof setInterval> | undefined;
  let dirty = false;

  function update(changes: Partial<LiveSnapshot>) {
    snapshot = { ...snapshot, ...changes };
    dirty = true;
    for (const listener of listeners) listener();
  }

  /** Moves pending events into the snapshot. */
  function flush() {
    frameRequested = false;
    const lastOffset = connection?.lastOffset() ?? snapshot.lastOffset;
    if (pending.length === 0) {
      if (lastOffset !== snapshot.lastOffset) update({ lastOffset });
      return;
    }
    const incoming = pending;
    const received = snapshot.received + incoming.length + droppedPending;
    pending = [];
    droppedPending = 0;
    update({ events: appendBounded(snapshot.events, incoming, maxEvents), received, lastOffset });
  }

  function onEvent(event: StreamEvent) {
    rates.add(now(), event.event_time, event.stored_at);
    pending.push(event);
    // A hidden tab gets no frames: keep no more than the buffer would.
    if (pending.length > 2 * maxEvents) {
      droppedPending += pending.length - maxEvents;
      pending = pending.slice(-maxEvents);
    }
    if (!frameRequested) {
      frameRequested = true;
      requestFrame(flush);
    }
  }

  function save() {
    if (!storage || !snapshot.subscription) return;
    flush();
    dirty = false;
    writeSavedLive(storage, {
      subscription: snapshot.subscription,
      active: snapshot.active,
      lastOffset: snapshot.lastOffset,
      events: [...snapshot.events],
    });
  }
  const saveOnHide = () => save();

  function open(after: string | null) {
    const subscription = snapshot.subscription;
    if (!subscription) return;
    connection?.close();
    connection = connect({
      url,
      body: subscribeBody(subscription),
      after,
      onEvent,
      onState: (state) => {
        flush();
        update({ connection: state, ...(state.status === "error" ? { active: false } : {}) });
        if (state.status === "error") save();
      },
      onNotice: (notice) => update({ notice }),
    });
  }

  function disconnect() {
    flush();
    connection?.close();
    connection = null;
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    start(subscription, after = null) {
      disconnect();
      pending = [];
      droppedPending = 0;
      rates.reset();
      update({
        subscription,
        active: true,
        events: [],
        received: 0,
        generation: snapshot.generation + 1,
        lastOffset: after,
        notice: null,
      });
      open(after);
      save();
    },
    stop() {
      disconnect();
      update({ active: false, connection: IDLE });
      save();
    },
    clear() {
      flush();
      update({ events: [], received: 0, generation: snapshot.generation + 1 });
      save();
    },
    dismissNotice: () => update({ notice: null }),
    attach() {
      window.addEventListener("pagehide", saveOnHide);
      clearInterval(saveTimer);
      saveTimer = setInterval(() => {
        if (dirty || pending.length > 0) save();
      }, SAVE_EVERY_MS);
      if (snapshot.active && !connection) open(snapshot.lastOffset);
    },
    detach() {
      window.removeEventListener("pagehide", saveOnHide);
      clearInterval(saveTimer);
      disconnect();
      save();
      update({ connection: IDLE });
    },
    series: (nowMs) => rates.series(nowMs),
  };
}
