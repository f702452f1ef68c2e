import { createServer } from "node:http";
import { type AddressInfo } from "node:net";

/** A span as OTLP/JSON carries it (ids in hex), with its attributes flattened. */
export type ReceivedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: number;
  attributes: Record<string, string | number | boolean>;
  /** The names of its events (`exception` for a recorded error). */
  events: string[];
  /** The spans it links to (a job's: the one that queued it). */
  links: { traceId: string; spanId: string }[];
  service: string;
};

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
};
type KeyValue = { key: string; value: AnyValue };
type ExportRequest = {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        status?: { code?: number };
        attributes?: KeyValue[];
        events?: { name: string }[];
        links?: { traceId: string; spanId: string }[];
      }[];
    }[];
  }[];
};

function valueOf(value: AnyValue): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return value.boolValue ?? "";
}

const flatten = (attributes: KeyValue[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));

/**
 * A real OTLP/HTTP receiver: POST /v1/traces with the JSON encoding (what
 * @opentelemetry/exporter-trace-otlp-http sends), answered as a collector answers. `keep: false`
 * counts and discards (the bench's sink).
 */
export async function startOtlpReceiver(options: { keep?: boolean } = {}) {
  const keep = options.keep ?? true;
  const spans: ReceivedSpan[] = [];
  let requests = 0;
  let bytes = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      requests += 1;
      const body = Buffer.concat(chunks);
      bytes += body.length;
      if (keep) {
        const exported = JSON.parse(body.toString("utf8")) as ExportRequest;
        for (const resource of exported.resourceSpans ?? []) {
          const service = String(flatten(resource.resource?.attributes)["service.name"] ?? "");
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              spans.push({
                traceId: span.traceId,
                spanId: span.spanId,
                parentSpanId: span.parentSpanId || undefined,
                name: span.name,
                kind: span.kind,
                status: span.status?.code ?? 0,
                attributes: flatten(span.attributes),
                events: (span.events ?? []).map((event) => event.name),
                links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
                service,
              });
            }
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    /** Export requests and bytes received so far. */
    received: () => ({ requests, bytes }),
    /** Every span of one trace. */
    trace: (traceId: string) => spans.filter((span) => span.traceId === traceId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type OtlpReceiver = Awaited<ReturnType<typeof startOtlpReceiver>>;
