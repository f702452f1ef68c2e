import { Card } from "@/components/ui/card";

import { CodeBlock } from "./code-block";
import { MarkdownText } from "./markdown-text";
import styles from "./protocol-doc.module.css";

export type StreamLimits = {
  origin: string;
  topics: readonly string[];
  sendBufferBytes: number;
  maxConnections: number;
  maxConnectionsPerPrincipal: number;
  recheckSeconds: number;
  streamRequestsPerHour: number;
};

const CLIENT_MESSAGES: [string, string][] = [
  [
    '{"type":"subscribe","id":1,"topics":["user_events"],"filter":{"payload.action":"eq.click"},"after":"1041"}',
    "Opens a subscription. `topics` (at least one); `dataset` (its id or name) with the `records` topic only, and required there; `filter`: up to 20 payload filters in the REST syntax (`payload.<path>`: `<op>.<value>`); `after`: resume after this offset (omitted: from now). At most 16 subscriptions per connection.",
  ],
  ['{"type":"unsubscribe","id":2,"subscription":"s1"}', "Closes one subscription."],
  ['{"type":"ping","id":3}', "Answered with `pong` and the same id."],
];

const SERVER_MESSAGES: [string, string][] = [
  [
    '{"type":"subscribed","id":1,"subscription":"s1","after":"1041"}',
    "The subscription is open; events after `after` follow.",
  ],
  [
    '{"type":"event","subscription":"s1","offset":"1042","event":{…}}',
    "One event: `offset`, `id`, `topic`, `partition_key`, `event_time`, `stored_at`, `dataset_id`, `payload`. Keep the last offset to resume.",
  ],
  ['{"type":"unsubscribed","id":2,"subscription":"s1"}', "The subscription is closed."],
  ['{"type":"pong","id":3}', "The answer to a ping."],
  [
    '{"type":"error","id":1,"error_code":"validation_failed","message":"…","details":[…]}',
    "A refused message, with the envelope's `error_code` (`invalid_json`, `bad_request`, `validation_failed`, `forbidden`, `offset_unknown`, `offset_expired` with `details.first_offset`, `unauthorized` …) and the `id` of the message it answers.",
  ],
];

/** The live stream's two transports: the lake.v1 WebSocket protocol and server-sent events. */
export function StreamProtocol({ limits }: { limits: StreamLimits }) {
  const ws = limits.origin.replace(/^http/, "ws");
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toLocaleString("en")} MiB`;
  return (
    <div className={styles.doc}>
      <Card title="Following events" id="overview">
        <MarkdownText
          text={`\`/api/v1/lake/stream\` delivers events as they are stored, in one ordered log: each event has an **offset** (a decimal string, gap-free, in commit order). Keep the last one you received and send it back to resume: everything missed arrives in order, with no gap and no duplicate. Topics: ${limits.topics.map((topic) => `\`${topic}\``).join(", ")}. Each event reaches only subscribers who may read it (a \`user_data\` event its owner and administrators; everything else every reader); subscribing needs the \`read\` permission.

Send events with \`POST /api/v1/lake/stream/events\` (REST) or gRPC \`Ingest\`.`}
        />
      </Card>

      <Card title="Authentication" id="authentication">
        <MarkdownText
          text={`Like every API door: \`Authorization: Bearer <token or API key>\`, \`X-API-Key\`, or the console's session cookie — the cookie only from a page of this site (its \`Origin\`, against cross-site WebSocket hijacking). Browsers cannot set headers on a WebSocket, so a page offers its token as a second subprotocol, \`lake.bearer.<token>\`, beside \`lake.v1\` (which the server selects). Not a query parameter: URLs end up in logs and history. Prefer a short-lived token from \`POST /api/v1/lake/auth/token\` over an API key in a browser.

A refused handshake is a plain HTTP answer in the error envelope: 400 (two credentials, or a credential without \`lake.v1\`), 401, 403, 429 (more than ${limits.maxConnectionsPerPrincipal} open sockets of one user on one instance) or 503 (more than ${limits.maxConnections.toLocaleString("en")} on the instance). Every ${limits.recheckSeconds} s each socket's credential is checked again; one that no longer holds (key revoked or expired, token expired, user disabled, password changed) gets an \`error\` message with \`unauthorized\` and close code **1008**.`}
        />
        <CodeBlock
          label="Opening the stream from a browser"
          code={`const token = (await (await fetch("/api/v1/lake/auth/token", { … })).json()).access_token;
const socket = new WebSocket("${ws}/api/v1/lake/stream", ["lake.v1", \`lake.bearer.\${token}\`]);
socket.onopen = () =>
  socket.send(JSON.stringify({ type: "subscribe", id: 1, topics: ["system_metrics"] }));
socket.onmessage = (message) => console.log(JSON.parse(message.data));`}
        />
      </Card>

      <Card title="WebSocket: the lake.v1 protocol" id="websocket">
        <MarkdownText text="One JSON object per message, each with a `type`. A client's `id` (a string or a number) comes back on the answer." />
        <MessageTable caption="Messages a client sends" rows={CLIENT_MESSAGES} />
        <MessageTable caption="Messages the server sends" rows={SERVER_MESSAGES} />
        <MarkdownText
          text={`**Close codes**: **4008** — the client fell more than ${mib(limits.sendBufferBytes)} behind (\`LAKE_STREAM_SEND_BUFFER_BYTES\`): reconnect and resume after the last offset; **1008** — the credential no longer holds; **1001** — the instance is shutting down: reconnect (to another instance) and resume.`}
        />
      </Card>

      <Card title="Server-sent events" id="sse">
        <MarkdownText
          text={`For clients that cannot open a WebSocket: \`GET /api/v1/lake/stream\` with \`Accept: text/event-stream\`, the subscription in the query — \`topics\` (comma-separated), \`dataset\`, \`after\`, and filters as \`payload.<path>=<op>.<value>\`. Each event is \`id: <offset>\`, \`event: <topic>\`, \`data: <event JSON>\`, so an \`EventSource\` that reconnects sends **Last-Event-ID** and resumes by itself (it wins over \`after\`). A comment keeps the connection alive every 15 s; \`retry: 2000\` sets the reconnection delay. A client too far behind gets an \`error\` event with \`slow_consumer\` and the stream ends: reconnect with Last-Event-ID. Each request counts against the stream rate limit (${limits.streamRequestsPerHour.toLocaleString("en")} an hour).`}
        />
        <CodeBlock
          label="Following events with EventSource"
          code={`// Same origin: the console's session cookie authenticates it.
const events = new EventSource("/api/v1/lake/stream?topics=system_metrics&payload.value=gt.0.9");
events.addEventListener("system_metrics", (message) => {
  console.log(message.lastEventId, JSON.parse(message.data));
});`}
        />
        <CodeBlock
          label="Following events with curl"
          code={`curl -N "${limits.origin}/api/v1/lake/stream?topics=user_events" \\
  -H "Accept: text/event-stream" -H "Authorization: Bearer $LAKE_TOKEN" \\
  -H "Last-Event-ID: 1041"`}
        />
      </Card>
    </div>
  );
}

function MessageTable({ caption, rows }: { caption: string; rows: [string, string][] }) {
  return (
    // Focusable and named: on a phone it scrolls sideways, and keyboards must reach that.
    <div className={styles.tableWrap} role="region" aria-label={caption} tabIndex={0}>
      <table className={styles.table}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{caption}</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([message, meaning]) => (
            <tr key={message}>
              <td>
                <code>{message}</code>
              </td>
              <td>
                <MarkdownText text={meaning} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
