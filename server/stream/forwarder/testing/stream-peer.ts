// A stand-in for Datapunk Stream's StreamProcessor: a real gRPC server that counts the events of
// each batch per topic and averages system metrics, and can be told to fail or go away. Used by
// the forwarder's tests and by `npm run stream:peer` to run the integration locally.
import {
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerUnaryCall,
} from "@grpc/grpc-js";

import { streamProcessorClientClass, type ProcessBatch } from "../stream-processor-client";

type Message = ProcessBatch["messages"][number] & {
  event: {
    topic: string;
    eventTime?: { seconds: string; nanos: number };
    systemMetric?: { name: string; value: number };
  };
};

export type StreamPeer = {
  port: number;
  /** Every batch it accepted, in arrival order (resends included). */
  batches: { batchId: string; offsets: string[] }[];
  /** While down, every call fails with UNAVAILABLE. */
  setDown(down: boolean): void;
  close(): Promise<void>;
};

export async function startStreamPeer(
  options: { port?: number; host?: string } = {},
): Promise<StreamPeer> {
  const batches: StreamPeer["batches"] = [];
  let down = false;
  const server = new Server();
  server.addService(streamProcessorClientClass().service, {
    Process(
      call: ServerUnaryCall<{ batchId: string; messages: Message[] }, unknown>,
      callback: sendUnaryData<unknown>,
    ) {
      if (down) {
        callback({ code: status.UNAVAILABLE, details: "the stream processor is down" });
        return;
      }
      const { batchId, messages } = call.request;
      batches.push({ batchId, offsets: messages.map((m) => m.offset) });
      const counts = new Map<string, number>();
      const metrics = new Map<string, number[]>();
      for (const { event } of messages) {
        counts.set(event.topic, (counts.get(event.topic) ?? 0) + 1);
        if (event.systemMetric) {
          const values = metrics.get(event.systemMetric.name) ?? [];
          values.push(event.systemMetric.value);
          metrics.set(event.systemMetric.name, values);
        }
      }
      const timestamp = messages.at(-1)?.event.eventTime ?? {
        seconds: String(Math.floor(Date.now() / 1000)),
        nanos: 0,
      };
      const points = [
        ...[...counts].map(([topic, count]) => ({
          series: `events.count.${topic}`,
          timestamp,
          value: count,
          tags: { batch: batchId },
        })),
        ...[...metrics].map(([name, values]) => ({
          series: `metric.${name}.avg`,
          timestamp,
          value: values.reduce((a, b) => a + b, 0) / values.length,
          tags: { batch: batchId },
        })),
      ];
      callback(null, { batchId, points });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `${options.host ?? "127.0.0.1"}:${options.port ?? 0}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  return {
    port,
    batches,
    setDown: (value) => void (down = value),
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
