import { readFileSync } from "node:fs";

import {
  credentials,
  loadPackageDefinition,
  Metadata,
  type Client,
  type ClientUnaryCall,
  type GrpcObject,
  type ServiceClientConstructor,
  type ServiceError,
} from "@grpc/grpc-js";

import { withGrpcClientSpan } from "../../observability/outbound-spans";
import { injectTraceContext } from "../../observability/trace-context";
import { STREAM_PACKAGE, streamPackageDefinition } from "../contracts/stream-proto";

/** The method's full name: the name of its client span. */
const PROCESS_METHOD = `${STREAM_PACKAGE}.StreamProcessor/Process`;

export type ProcessBatch = { batchId: string; messages: { offset: string; event: object }[] };
export type ProcessResult = {
  batchId: string;
  points: {
    series: string;
    timestamp: { seconds: string; nanos: number } | null;
    value: number;
    tags: Record<string, string>;
  }[];
};

export type StreamClientConfig = {
  /** host:port of Datapunk Stream's StreamProcessor. */
  url: string;
  /** PEM files: the CA that signed the service's certificate (TLS), and this client's pair (mTLS). */
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** Sent as `authorization: Bearer <token>` when set. */
  token?: string;
  deadlineMs: number;
};

type ProcessorClient = Client & {
  Process(
    batch: ProcessBatch,
    metadata: Metadata,
    options: { deadline: number },
    callback: (error: ServiceError | null, result?: ProcessResult) => void,
  ): ClientUnaryCall;
};

/** The StreamProcessor client constructor, from the .proto files in proto/. */
export function streamProcessorClientClass(): ServiceClientConstructor {
  const loaded = loadPackageDefinition(streamPackageDefinition());
  const service = STREAM_PACKAGE.split(".").reduce<GrpcObject>(
    (node, part) => node[part] as GrpcObject,
    loaded,
  );
  return service.StreamProcessor as ServiceClientConstructor;
}

/** A gRPC client of Datapunk Stream's StreamProcessor: one channel, reconnected by grpc-js. */
export function createStreamProcessorClient(config: StreamClientConfig) {
  const read = (file?: string) => (file ? readFileSync(file) : undefined);
  const channel = config.tlsCa
    ? credentials.createSsl(read(config.tlsCa), read(config.tlsKey), read(config.tlsCert))
    : credentials.createInsecure();
  const Processor = streamProcessorClientClass();
  const client = new Processor(config.url, channel) as unknown as ProcessorClient;
  const metadata = new Metadata();
  if (config.token) metadata.set("authorization", `Bearer ${config.token}`);
  return {
    /** `signal` cancels the call (the dependency policy's per-attempt timeout). */
    process(batch: ProcessBatch, signal?: AbortSignal): Promise<ProcessResult> {
      // Each attempt in a client span, its trace context in the call's metadata.
      return withGrpcClientSpan(
        PROCESS_METHOD,
        config.url,
        () =>
          new Promise((resolve, reject) => {
            const call = client.Process(
              batch,
              injectTraceContext(metadata.clone()),
              { deadline: Date.now() + config.deadlineMs },
              (error, result) => {
                signal?.removeEventListener("abort", cancel);
                if (error) reject(error);
                else resolve(result!);
              },
            );
            const cancel = () => call.cancel();
            signal?.addEventListener("abort", cancel, { once: true });
          }),
      );
    },
    close: () => client.close(),
  };
}

export type StreamProcessorClient = ReturnType<typeof createStreamProcessorClient>;
