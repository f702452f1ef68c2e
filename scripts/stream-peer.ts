// `npm run stream:peer [-- --port 50052]`: a local stand-in for Datapunk Stream's StreamProcessor.
// Start the Lake with STREAM_GRPC_URL=127.0.0.1:50052 and its events are forwarded here; the peer
// answers with per-batch counts and metric averages, which the Lake stores as time series points.
import { startStreamPeer } from "../server/stream/forwarder/testing/stream-peer";

const flag = process.argv.indexOf("--port");
const port = flag >= 0 ? Number(process.argv[flag + 1]) : 50052;
const peer = await startStreamPeer({ port });
console.log(`Stream peer (StreamProcessor) listening on 127.0.0.1:${peer.port}`);
let seen = 0;
setInterval(() => {
  if (peer.batches.length === seen) return;
  for (const batch of peer.batches.slice(seen)) {
    console.log(`batch ${batch.batchId}: ${batch.offsets.length} events`);
  }
  seen = peer.batches.length;
}, 1000);
process.on("SIGINT", () => void peer.close().then(() => process.exit(0)));
