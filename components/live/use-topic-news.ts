"use client";

import { useEffect, useRef, useState } from "react";

import type { ConnectionState, StreamEvent, Topic } from "./live-types";
import { openStreamConnection } from "./stream-connection";
import { streamUrl } from "./stream-url";

/**
 * Follows one topic from now while the component is mounted, for a page that refreshes what it
 * shows when news arrives (a window closed, an alert changed). Its state says whether the page is
 * live. `filter` uses the data API's syntax on the payload, e.g. {"payload.rule": "eq.cpu_5m"}.
 * `onEvent` also runs each time the subscription becomes live: news follows from that moment, so
 * whatever changed before it (or during a reconnect) is read once then.
 */
export function useTopicNews(
  topic: Topic,
  filter: Record<string, string> | null,
  onEvent: (event: StreamEvent | null) => void,
): ConnectionState {
  const [state, setState] = useState<ConnectionState>({ status: "connecting", attempt: 0 });
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);
  const key = JSON.stringify(filter);
  useEffect(() => {
    const connection = openStreamConnection({
      url: streamUrl(),
      body: { topics: [topic], ...(filter ? { filter } : {}) },
      after: null,
      onEvent: (event) => handler.current(event),
      onState: (next) => {
        setState(next);
        if (next.status === "live") handler.current(null);
      },
      onNotice: () => undefined,
    });
    return () => connection.close();
    // `key` stands for `filter`'s content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [topic, key]);
  return state;
}
