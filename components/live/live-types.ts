import type { FilterCondition } from "@/components/data/record-query";
import type { StreamEventView } from "@/server/stream/events/stream-event";
import type { Topic } from "@/server/stream/events/topics";

export type { Topic };

/** One event as the stream delivers it (README: "Real-time streams"). */
export type StreamEvent = StreamEventView;

export const TOPIC_INFO: Record<Topic, { label: string; description: string }> = {
  user_events: {
    label: "user_events",
    description: "What producers send about users: your own (administrators receive everyone’s).",
  },
  system_metrics: {
    label: "system_metrics",
    description: "Host metrics ({host, name, value}), shared with every reader.",
  },
  records: {
    label: "records",
    description: "Changes of one dataset’s records: create, update, delete, archive, restore.",
  },
  imports: {
    label: "imports",
    description: "Progress of your imports, as the Lake writes it to the log.",
  },
  windows: {
    label: "windows",
    description: "Window aggregates as they close: a rule's count, avg, max … per group.",
  },
  alerts: {
    label: "alerts",
    description: "Alert state changes: pending, firing, resolved, with the value that caused them.",
  },
};

export const LIVE_TOPICS = Object.keys(TOPIC_INFO) as Topic[];

/** Payload paths worth suggesting in the filter bar, by topic. */
export const TOPIC_FIELDS: Record<Topic, readonly string[]> = {
  user_events: ["action"],
  system_metrics: ["host", "name", "value"],
  records: ["action", "id", "record"],
  // Import progress has no settled payload yet (streams issue): nothing to suggest.
  imports: [],
  windows: ["rule", "count", "avg", "max"],
  alerts: ["alert", "state", "value"],
};

/** What a subscription asks for, as the page holds it (and keeps in sessionStorage). */
export type LiveSubscription = {
  topics: Topic[];
  /** The dataset id, with the records topic only. */
  dataset: string | null;
  /** Payload conditions in the REST syntax, one per path (the protocol's filter is an object). */
  filters: FilterCondition[];
};

export type ConnectionStatus = "idle" | "connecting" | "live" | "reconnecting" | "error";

export type ConnectionState = {
  status: ConnectionStatus;
  /** Why: the server's message for an error, what happened for a reconnect. */
  message?: string;
  /** The server's error_code, when it sent one. */
  code?: string;
  /** Reconnect attempts since the stream was last live. */
  attempt: number;
};
