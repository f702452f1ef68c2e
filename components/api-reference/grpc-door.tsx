import { Card } from "@/components/ui/card";

import { CodeBlock } from "./code-block";
import { MarkdownText } from "./markdown-text";
import styles from "./protocol-doc.module.css";

export type GrpcSettings = {
  /** LAKE_GRPC_PORT; 0 when the door is off. */
  port: number;
  host: string;
  tls: boolean;
  mutualTls: boolean;
  streamRequestsPerHour: number;
  protoFiles: readonly { path: string; text: string }[];
};

const METHODS: [string, string, string][] = [
  [
    "Ingest",
    "stream IngestBatch → stream IngestAck",
    "Bidirectional: batches in, one ack per batch out, in order. Each event is acknowledged with its offset once it is in the log (`duplicate` when a retry), or reported by index in `errors` (as REST does). Keep several batches in flight: queued batches are appended together (up to 1,000 events a statement). Needs `write`.",
  ],
  [
    "WriteTimeSeries",
    "WriteTimeSeriesRequest → WriteTimeSeriesResponse",
    "The stream processor's points, stored all or nothing. Needs `write`.",
  ],
  [
    "Subscribe",
    "SubscribeRequest → stream StreamMessage",
    "The events of its topics from `from_offset` (empty: from now), authorized per event; `dataset` with the `records` topic, `filter` in the REST syntax. Needs `read`.",
  ],
];

/** The gRPC door: StreamService, how to authenticate, TLS, errors, and the contract itself. */
export function GrpcDoor({ settings }: { settings: GrpcSettings }) {
  const status =
    settings.port === 0
      ? "**Off on this instance** (`LAKE_GRPC_PORT=0`)."
      : `This instance listens on **${settings.host}:${settings.port}** (\`LAKE_GRPC_HOST\`, \`LAKE_GRPC_PORT\`) ${settings.tls ? (settings.mutualTls ? "with **mutual TLS**: a client presents a certificate signed by `LAKE_GRPC_TLS_CLIENT_CA`." : "with **TLS**.") : "in **plaintext**, on 127.0.0.1 only (no certificate configured)."}`;
  return (
    <div className={styles.doc}>
      <Card title="Service" id="service">
        <MarkdownText
          text={`\`datapunk.stream.v1.StreamService\`, for Datapunk Stream and other producers, beside the standard health service \`grpc.health.v1.Health\`. ${status}

TLS: with \`LAKE_GRPC_TLS_CERT\` and \`LAKE_GRPC_TLS_KEY\` the door serves TLS on \`LAKE_GRPC_HOST\`; adding \`LAKE_GRPC_TLS_CLIENT_CA\` makes it mutual. Without certificates it listens on 127.0.0.1 only.`}
        />
        <div className={styles.tableWrap} role="region" aria-label="Methods" tabIndex={0}>
          <table className={styles.table}>
            <caption className="sr-only">Methods of StreamService</caption>
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Messages</th>
                <th scope="col">What it does</th>
              </tr>
            </thead>
            <tbody>
              {METHODS.map(([name, messages, meaning]) => (
                <tr key={name}>
                  <th scope="row">
                    <code>{name}</code>
                  </th>
                  <td>
                    <code>{messages}</code>
                  </td>
                  <td>
                    <MarkdownText text={meaning} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <Card title="Authentication and errors" id="authentication">
        <MarkdownText
          text={`Credentials go in the call's metadata: \`authorization: Bearer <token or API key>\` or \`x-api-key: <key>\`, with the same permissions as REST. Each call, and each \`Ingest\` batch, counts against the stream rate limit (${settings.streamRequestsPerHour.toLocaleString("en")} an hour).

Errors are gRPC statuses mapped from the REST envelope's code — \`UNAUTHENTICATED\`, \`PERMISSION_DENIED\`, \`INVALID_ARGUMENT\` (also a message that is not valid protobuf: the batches before it are acknowledged, nothing after it is stored), \`OUT_OF_RANGE\` for offsets, \`RESOURCE_EXHAUSTED\` with a \`google.rpc.RetryInfo\` and \`retry-after\` — with \`error_code\` in the trailing metadata.`}
        />
        <CodeBlock
          label="Calling Subscribe with grpcurl"
          code={`grpcurl -plaintext -import-path proto -proto datapunk/stream/v1/stream_service.proto \\
  -H "authorization: Bearer $LAKE_TOKEN" \\
  -d '{"topics": ["system_metrics"]}' \\
  127.0.0.1:${settings.port || 50051} datapunk.stream.v1.StreamService/Subscribe`}
        />
      </Card>

      <Card title="The contract (.proto files)" id="proto">
        <MarkdownText text="Package `datapunk.stream.v1`, in `proto/` of the repository. Field numbers are never reused; a breaking change is a new package (`v2`). `StreamProcessor` is what Datapunk Stream serves: the Lake calls it to forward its log (`STREAM_GRPC_URL`)." />
        {settings.protoFiles.map((file) => (
          <div key={file.path}>
            <h3 className={styles.fileName}>
              <code>{file.path}</code>
            </h3>
            <CodeBlock label={file.path} code={file.text} />
          </div>
        ))}
      </Card>
    </div>
  );
}
