// The baselines of bench:stream, each a child process of its own (as the Lake is):
//   grpc  a raw grpc-js StreamService whose Ingest only acknowledges each batch (offsets counted)
//   ws    a raw `ws` server that broadcasts every message its publisher sends to every other
//         client, without authorization
// Prints "listening <port>" when ready.
import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type GrpcObject,
  type ServerDuplexStream,
  type ServiceClientConstructor,
} from "@grpc/grpc-js";
import { WebSocketServer, type WebSocket } from "ws";

import {
  STREAM_PACKAGE,
  streamPackageDefinition,
} from "../../server/stream/contracts/stream-proto";

const mode = process.argv[2];

if (mode === "grpc") {
  const loaded = loadPackageDefinition(streamPackageDefinition());
  const service = (
    STREAM_PACKAGE.split(".").reduce<GrpcObject>((n, p) => n[p] as GrpcObject, loaded)
      .StreamService as ServiceClientConstructor
  ).service;
  let offset = 0;
  const server = new Server({ "grpc.max_receive_message_length": 16 * 1024 * 1024 });
  server.addService(service, {
    Ingest(call: ServerDuplexStream<{ batchId: string; events: { id: string }[] }, unknown>) {
      call.on("data", (batch: { batchId: string; events: { id: string }[] }) => {
        call.write({
          batchId: batch.batchId,
          acks: batch.events.map((event, index) => ({
            index,
            eventId: event.id,
            offset: String(++offset),
            duplicate: false,
          })),
          errors: [],
        });
      });
      call.on("end", () => call.end());
    },
  });
  server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    console.log(`listening ${port}`);
  });
} else if (mode === "ws") {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  wss.on("connection", (socket: WebSocket, request) => {
    if (!request.url?.includes("publisher")) return;
    socket.on("message", (data: Buffer) => {
      // One message per event, like the Lake's: the publisher sends a JSON array of events.
      const events = JSON.parse(data.toString()) as unknown[];
      for (const event of events) {
        const text = JSON.stringify({ type: "event", event });
        for (const client of wss.clients) if (client !== socket) client.send(text);
      }
    });
  });
  wss.on("listening", () => console.log(`listening ${(wss.address() as { port: number }).port}`));
} else {
  console.error("usage: stream-baselines.ts grpc|ws");
  process.exit(2);
}
