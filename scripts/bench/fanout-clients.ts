// A process of WebSocket subscribers for bench:stream's fan-out: several of these share the
// subscribers, so the clients' own event loops are not what limits the delivered rate.
//   argv[2]: JSON { url, sockets: [{ headers, subscribe? }], expected, quietMs }
// Prints "ready" once every socket is open (and subscribed), then "result <json>" when `expected`
// events have arrived or none has for `quietMs`: the count and a histogram of ingest → client
// latencies in milliseconds.
import WebSocket from "ws";

type Options = {
  url: string;
  sockets: { headers: Record<string, string>; subscribe?: unknown }[];
  expected: number;
  quietMs: number;
};

const options = JSON.parse(process.argv[2]!) as Options;
const histogram = new Map<number, number>();
let received = 0;
let last = 0;

function onMessage(data: Buffer) {
  const message = JSON.parse(data.toString()) as {
    type: string;
    event?: { payload?: { t?: number; timestamp?: string } };
  };
  if (message.type !== "event") return;
  const payload = message.event?.payload;
  const t = payload?.t ?? (payload?.timestamp ? Date.parse(payload.timestamp) : undefined);
  if (typeof t !== "number") return;
  const latency = Math.max(0, Date.now() - t);
  histogram.set(latency, (histogram.get(latency) ?? 0) + 1);
  received += 1;
  last = Date.now();
  if (received === options.expected) finish();
}

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  console.log(`result ${JSON.stringify({ received, histogram: [...histogram] })}`);
  process.exit(0);
}

async function open(spec: Options["sockets"][number]) {
  const socket = new WebSocket(options.url, [], { headers: spec.headers });
  socket.on("message", onMessage);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  if (spec.subscribe) socket.send(JSON.stringify(spec.subscribe));
  return socket;
}

for (const spec of options.sockets) await open(spec);
console.log("ready");
setInterval(() => {
  if (last > 0 && Date.now() - last > options.quietMs) finish();
}, 250);
