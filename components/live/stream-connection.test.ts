import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { ConnectionState, StreamEvent } from "./live-types";
import { backoffMs, openStreamConnection, type SocketLike } from "./stream-connection";

/** A WebSocket the test drives: what the client sent, and the server's side of the conversation. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  onopen: SocketLike["onopen"] = null;
  onmessage: SocketLike["onmessage"] = null;
  onclose: SocketLike["onclose"] = null;
  onerror: SocketLike["onerror"] = null;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code?: number) {
    this.readyState = 3;
    this.closedWith = code;
  }
  open() {
    this.readyState = 1;
    this.onopen?.call(this as unknown as WebSocket, new Event("open"));
  }
  receive(message: object) {
    this.onmessage?.call(this as unknown as WebSocket, { data: JSON.stringify(message) } as never);
  }
  serverClose(code: number) {
    this.readyState = 3;
    this.onclose?.call(this as unknown as WebSocket, { code, reason: "" } as never);
  }
  lastSubscribe() {
    return this.sent.findLast((message) => message.type === "subscribe")!;
  }
}

const event = (offset: string, id = `e${offset}`): StreamEvent => ({
  offset,
  id,
  topic: "user_events",
  partition_key: "u1",
  event_time: "2026-12-04T10:00:00.000Z",
  stored_at: "2026-12-04T10:00:00.010Z",
  dataset_id: null,
  payload: { n: Number(offset) },
});

function setup(after: string | null = null) {
  const sockets: FakeSocket[] = [];
  const events: StreamEvent[] = [];
  const states: ConnectionState[] = [];
  const notices: string[] = [];
  const connection = openStreamConnection({
    url: "ws://lake.test/api/v1/lake/stream",
    body: { topics: ["user_events"], filter: { "payload.action": "eq.click" } },
    after,
    onEvent: (received) => events.push(received),
    onState: (state) => states.push(state),
    onNotice: (notice) => notices.push(notice),
    createSocket: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket;
    },
    random: () => 0,
  });
  const socket = () => sockets.at(-1)!;
  const status = () => states.at(-1)?.status;
  /** The server's answer to the newest subscribe. */
  const subscribed = (from: string) =>
    socket().receive({
      type: "subscribed",
      id: socket().lastSubscribe().id,
      subscription: "s1",
      after: from,
    });
  const deliver = (...stored: StreamEvent[]) => {
    for (const item of stored) {
      socket().receive({ type: "event", subscription: "s1", offset: item.offset, event: item });
    }
  };
  return { connection, sockets, socket, events, states, notices, status, subscribed, deliver };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("openStreamConnection", () => {
  it("subscribes with the lake.v1 protocol and starts resuming from where the server began", () => {
    const live = setup();
    expect(live.socket().protocols).toEqual(["lake.v1"]);
    expect(live.status()).toBe("connecting");
    live.socket().open();
    expect(live.socket().lastSubscribe()).toEqual({
      type: "subscribe",
      id: 1,
      topics: ["user_events"],
      filter: { "payload.action": "eq.click" },
    });
    live.subscribed("41");
    expect(live.status()).toBe("live");
    expect(live.connection.lastOffset()).toBe("41");
    live.deliver(event("42"), event("43"));
    expect(live.events.map((item) => item.offset)).toEqual(["42", "43"]);
    expect(live.connection.lastOffset()).toBe("43");
  });

  it("drops an event at or before the last offset it has", () => {
    const live = setup("100");
    live.socket().open();
    live.subscribed("100");
    live.deliver(event("99"), event("100"), event("101"), event("101"), event("1000"));
    expect(live.events.map((item) => item.offset)).toEqual(["101", "1000"]);
  });

  it("reconnects after a 4008 or a 1001 and resumes after the last offset received", () => {
    const live = setup();
    live.socket().open();
    live.subscribed("10");
    live.deliver(event("11"), event("12"));
    live.socket().serverClose(4008);
    expect(live.status()).toBe("reconnecting");
    expect(live.states.at(-1)?.message).toMatch(/fell behind/);
    vi.advanceTimersByTime(backoffMs(1, () => 0));
    expect(live.sockets).toHaveLength(2);
    live.socket().open();
    expect(live.socket().lastSubscribe()).toMatchObject({ after: "12" });
    live.subscribed("12");
    expect(live.status()).toBe("live");
    live.deliver(event("13"));
    live.socket().serverClose(1001);
    expect(live.states.at(-1)?.message).toMatch(/restarting/);
    vi.advanceTimersByTime(backoffMs(1, () => 0));
    live.socket().open();
    expect(live.socket().lastSubscribe()).toMatchObject({ after: "13" });
    expect(live.events.map((item) => item.offset)).toEqual(["11", "12", "13"]);
  });

  it("backs off longer after each failed attempt, and starts over once live", () => {
    expect([1, 2, 3, 4, 10].map((attempt) => backoffMs(attempt, () => 1))).toEqual([
      500, 1_000, 2_000, 4_000, 30_000,
    ]);
    const live = setup();
    live.socket().serverClose(1006);
    expect(live.states.at(-1)).toMatchObject({ status: "reconnecting", attempt: 1 });
    vi.advanceTimersByTime(backoffMs(1, () => 0));
    live.socket().serverClose(1006);
    expect(live.states.at(-1)).toMatchObject({ attempt: 2, message: /Could not connect/ });
    vi.advanceTimersByTime(backoffMs(2, () => 0) - 1);
    expect(live.sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(live.sockets).toHaveLength(3);
    live.socket().open();
    live.subscribed("5");
    expect(live.states.at(-1)).toMatchObject({ status: "live", attempt: 0 });
  });

  it("an offset the log no longer keeps: says so and follows from now", () => {
    const live = setup("3");
    live.socket().open();
    live.socket().receive({
      type: "error",
      id: 1,
      error_code: "offset_expired",
      message: "Offset 3 is older than the log keeps.",
    });
    expect(live.notices[0]).toMatch(/older than the log keeps.*after offset 3/);
    const again = live.socket().lastSubscribe();
    expect(again).toMatchObject({ id: 2 });
    expect(again).not.toHaveProperty("after");
    live.subscribed("900");
    expect(live.connection.lastOffset()).toBe("900");
  });

  it("stops on a refused subscription, without retrying", () => {
    const live = setup();
    live.socket().open();
    live.socket().receive({
      type: "error",
      id: 1,
      error_code: "validation_failed",
      message: "The records topic needs a dataset (its id or name).",
    });
    expect(live.states.at(-1)).toMatchObject({
      status: "error",
      code: "validation_failed",
      message: /needs a dataset/,
    });
    expect(live.socket().closedWith).toBe(1000);
    vi.advanceTimersByTime(60_000);
    expect(live.sockets).toHaveLength(1);
  });

  it("retries a subscription the server could not serve (its log failed)", () => {
    const live = setup();
    live.socket().open();
    live.subscribed("1");
    live.socket().receive({
      type: "error",
      id: 1,
      error_code: "database_unavailable",
      message: "The database is unavailable.",
    });
    expect(live.status()).toBe("reconnecting");
    vi.advanceTimersByTime(backoffMs(1, () => 0));
    expect(live.sockets).toHaveLength(2);
  });

  it("a session that ends (1008 after unauthorized) stops with a sign-in message", () => {
    const live = setup();
    live.socket().open();
    live.subscribed("1");
    live.socket().receive({
      type: "error",
      id: null,
      error_code: "unauthorized",
      message: "The credential is no longer valid.",
    });
    expect(live.status()).toBe("live");
    live.socket().serverClose(1008);
    expect(live.states.at(-1)).toMatchObject({ status: "error", message: /sign in again/ });
    vi.advanceTimersByTime(60_000);
    expect(live.sockets).toHaveLength(1);
  });

  it("pings a quiet connection and gives it up when nothing answers", () => {
    const live = setup();
    live.socket().open();
    live.subscribed("1");
    vi.advanceTimersByTime(25_000);
    expect(live.socket().sent.at(-1)).toEqual({ type: "ping" });
    vi.advanceTimersByTime(25_000);
    expect(live.status()).toBe("reconnecting");
    expect(live.sockets[0]!.closedWith).toBe(1000);
  });

  it("close() ends it: no reconnect, late messages ignored", () => {
    const live = setup();
    live.socket().open();
    live.subscribed("1");
    const first = live.socket();
    live.connection.close();
    expect(first.closedWith).toBe(1000);
    first.receive({ type: "event", subscription: "s1", offset: "2", event: event("2") });
    first.serverClose(1006);
    vi.advanceTimersByTime(60_000);
    expect(live.events).toEqual([]);
    expect(live.sockets).toHaveLength(1);
  });
});
