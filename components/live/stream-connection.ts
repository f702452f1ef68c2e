import type { ConnectionState, StreamEvent, Topic } from "./live-types";
import { compareOffsets } from "./offsets";

/** The subscribe message's body (lake.v1), without `type`, `id` and `after`. */
export type SubscribeBody = {
  topics: Topic[];
  dataset?: string;
  filter?: Record<string, string>;
};

/** The part of the browser's WebSocket this module uses, so tests can hand in a fake. */
export type SocketLike = Pick<
  WebSocket,
  "readyState" | "send" | "close" | "onopen" | "onmessage" | "onclose" | "onerror"
>;

export type StreamConnectionOptions = {
  /** ws(s)://host/api/v1/lake/stream: same origin, so the console's session cookie signs it in. */
  url: string;
  body: SubscribeBody;
  /** Resume after this offset; null: from now. */
  after: string | null;
  onEvent: (event: StreamEvent) => void;
  onState: (state: ConnectionState) => void;
  /** Something the user should know that does not stop the stream (an expired offset). */
  onNotice: (message: string) => void;
  createSocket?: (url: string, protocols: string[]) => SocketLike;
  random?: () => number;
};

export type StreamConnection = {
  /** The offset to resume after: the last event received, or where the subscription began. */
  lastOffset: () => string | null;
  close: () => void;
};

const PROTOCOL = "lake.v1";
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** Quiet for this long: ask with a ping. Quiet for DEAD_MS: the connection is gone. */
const PING_AFTER_MS = 20_000;
const DEAD_MS = 45_000;
const HEARTBEAT_MS = 5_000;

/** Codes that retrying the same subscription cannot fix: the user has to change something. */
const FATAL_CODES = new Set(["validation_failed", "bad_request", "not_found", "forbidden"]);
const SESSION_ENDED = "Your session ended or lost its permission: sign in again.";

/** Exponential backoff with jitter: 0.5–1 s, 1–2 s, 2–4 s … up to 15–30 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

type ServerMessage =
  | { type: "hello" | "pong" }
  | { type: "subscribed"; id: unknown; subscription: string; after: string }
  | { type: "event"; subscription: string; offset: string; event: StreamEvent }
  | { type: "error"; id: unknown; error_code: string; message: string };

/**
 * One subscription kept alive over the stream WebSocket (README: "Real-time streams"). It
 * reconnects with backoff after a drop, a 4008 (slow consumer) or a 1001 (server going away),
 * each time resuming after the last offset it received, which the server answers with no gap
 * and no duplicate; as a second guard it drops any event at or before that offset. It stops on
 * what a retry cannot fix (a refused subscription, a revoked session).
 */
export function openStreamConnection(options: StreamConnectionOptions): StreamConnection {
  const { url, body, onEvent, onState, onNotice } = options;
  const random = options.random ?? Math.random;
  const createSocket =
    options.createSocket ?? ((target, protocols) => new WebSocket(target, protocols));

  let lastOffset = options.after;
  let socket: SocketLike | null = null;
  let subscription: string | null = null;
  let requestId = 0;
  let attempt = 0;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let lastHeard = 0;
  let lastError: { code: string; message: string } | null = null;
  let retryMessage = "";

  const setState = (state: Omit<ConnectionState, "attempt">) => onState({ ...state, attempt });

  function subscribe() {
    subscription = null;
    requestId += 1;
    socket?.send(
      JSON.stringify({
        type: "subscribe",
        id: requestId,
        ...body,
        ...(lastOffset === null ? {} : { after: lastOffset }),
      }),
    );
  }

  /** Forgets a socket: its late events and close must not reach the next one. */
  function drop(target: SocketLike) {
    target.onopen = target.onmessage = target.onclose = target.onerror = null;
    clearInterval(heartbeat);
    if (target.readyState <= 1) target.close(1000, "client closing");
    if (socket === target) socket = null;
  }

  function retry(message: string) {
    if (closed) return;
    if (socket) drop(socket);
    attempt += 1;
    retryMessage = message;
    setState({ status: "reconnecting", message });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, backoffMs(attempt, random));
  }

  function fail(message: string, code?: string) {
    if (socket) drop(socket);
    closed = true;
    clearTimeout(retryTimer);
    setState({ status: "error", message, ...(code ? { code } : {}) });
  }

  function receive(message: ServerMessage) {
    switch (message.type) {
      case "subscribed":
        if (message.id !== requestId) return;
        subscription = message.subscription;
        // From now: where the server began is the resume point until an event arrives.
        lastOffset ??= message.after;
        attempt = 0;
        setState({ status: "live" });
        return;
      case "event": {
        if (subscription !== null && message.subscription !== subscription) return;
        if (lastOffset !== null && compareOffsets(message.offset, lastOffset) <= 0) return;
        lastOffset = message.offset;
        onEvent(message.event);
        return;
      }
      case "error":
        lastError = { code: message.error_code, message: message.message };
        if (message.id !== requestId) return;
        if (message.error_code === "offset_expired" || message.error_code === "offset_unknown") {
          onNotice(
            `${message.message} Following from now: events after offset ${lastOffset} that the log no longer holds are not shown.`,
          );
          lastOffset = null;
          subscribe();
        } else if (message.error_code === "unauthorized") {
          fail(SESSION_ENDED, message.error_code);
        } else if (FATAL_CODES.has(message.error_code)) {
          fail(message.message, message.error_code);
        } else {
          retry(`${message.message} Resuming…`);
        }
        return;
      default:
        return;
    }
  }

  function connect() {
    if (closed) return;
    setState(
      attempt === 0 ? { status: "connecting" } : { status: "reconnecting", message: retryMessage },
    );
    lastError = null;
    let opened = false;
    const target = createSocket(url, [PROTOCOL]);
    socket = target;
    target.onopen = () => {
      opened = true;
      lastHeard = Date.now();
      subscribe();
      clearInterval(heartbeat);
      heartbeat = setInterval(() => {
        const quiet = Date.now() - lastHeard;
        if (quiet > DEAD_MS) retry("The connection stopped answering. Reconnecting…");
        else if (quiet > PING_AFTER_MS) target.send(JSON.stringify({ type: "ping" }));
      }, HEARTBEAT_MS);
    };
    target.onmessage = (event) => {
      lastHeard = Date.now();
      if (typeof event.data !== "string") return;
      let message: ServerMessage;
      try {
        message = JSON.parse(event.data) as ServerMessage;
      } catch {
        return;
      }
      receive(message);
    };
    target.onclose = ({ code }) => {
      if (code === 1008) {
        // The server says why in an error message just before (unauthorized or forbidden).
        const why = lastError && lastError.code !== "unauthorized" ? lastError.message : null;
        fail(why ?? SESSION_ENDED, lastError?.code);
      } else if (code === 4008) {
        retry("The page fell behind the stream. Resuming after the last event…");
      } else if (code === 1001) {
        retry("The server is restarting. Resuming…");
      } else {
        retry(
          opened
            ? "The connection dropped. Resuming…"
            : "Could not connect to the stream. Retrying…",
        );
      }
    };
  }

  connect();

  return {
    lastOffset: () => lastOffset,
    close() {
      closed = true;
      clearTimeout(retryTimer);
      if (socket) drop(socket);
    },
  };
}
