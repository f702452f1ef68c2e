// Runs in a worker thread of its own, one per import run (transformed-source.ts): reads the upload,
// parses it and transforms its rows, and posts each batch back ready to stage or load. Parsing
// allocates an object per row and value; here that garbage lives in a small heap of its own,
// collected early, instead of growing the web server's heap by hundreds of MB under a 1M-row file
// (docs/decisions/0009). The CPU-heavy transform still runs on the transform threads beside it.
import { parentPort, workerData } from "node:worker_threads";

import pg from "pg";

import { loadInTransactions, type ThreadLoad } from "./load-rows";
import { ImportInputError } from "./import-input-error";
import { openRows } from "./open-rows";
import { type TransformMode, type TransformPlan } from "./row-transform";
import { type RowError } from "./source-row";
import { watchRows } from "./rows-held";
import { type FromSource, type SourceThreadData, type ToSource } from "./source-messages";
import { createTransformPool, transformThreads } from "./transform-pool";
import { transformedBatches } from "./transformed-batches";

/** Batches posted but not yet consumed by the main thread; the thread waits beyond this. */
const MAX_UNACKED = 2;

const port = parentPort!;
const { input, rowsHeld } = (workerData as { input: SourceThreadData }).input;
const post = (message: FromSource) => port.postMessage(message);

let unacked = 0;
let wake: (() => void) | undefined;
type Planned = {
  plan: TransformPlan;
  mode: TransformMode;
  load?: ThreadLoad;
  reportErrors: number;
};
let planned: ((plan: Planned) => void) | undefined;
const plan = new Promise<Planned>((r) => (planned = r));
port.on("message", (message: ToSource) => {
  if (message.type === "plan") planned?.(message);
  if (message.type === "ack") {
    unacked -= 1;
    wake?.();
  }
});

let bytesRead = () => 0;

/** The longest reason sent: a parser's message may quote a whole (MB-long) field. */
const MAX_REASON_CHARS = 500;
const reported = (error: RowError): RowError =>
  error.reason.length > MAX_REASON_CHARS
    ? { ...error, reason: `${error.reason.slice(0, MAX_REASON_CHARS)}…` }
    : error;

async function run(): Promise<void> {
  const source = await openRows(input);
  bytesRead = source.bytesRead;
  post({ type: "opened", format: source.format, bytesRead: source.bytesRead() });
  const { plan: transformPlan, mode, load, reportErrors } = await plan;
  let errorsToSend = reportErrors;
  const pool = createTransformPool(transformThreads(input.workers));
  const watched = watchRows(rowsHeld, source.batches);
  // Connections of its own: the COPY text never crosses to the main thread (docs/decisions/0009).
  const clients = Array.from(
    { length: load ? load.connections : 0 },
    () => new pg.Client({ connectionString: load!.url, connectionTimeoutMillis: 10_000 }),
  );
  // A session PostgreSQL ends fails the load in flight (and so the run, which is retried); the
  // client's own 'error' event must not also end the thread as an uncaught exception.
  for (const client of clients) client.on("error", () => {});
  // Batches whose loads are in flight, each posted once its load and those before it have
  // committed (so a checkpoint never covers a row that is not stored): meanwhile this thread
  // parses and transforms the next one, and PostgreSQL keeps the indexes of `records` up. At
  // most one load per connection; batch n goes to connection n mod connections, which the oldest
  // load in flight has just freed.
  const inFlight: { copied: Promise<void>; message: Extract<FromSource, { type: "batch" }> }[] = [];
  let loadsStarted = 0;
  // The first load that failed: no load starts after it (the run fails with it, and a resumed
  // run finds the lines it stored in order, up to a gap it reads again).
  let loadFailed: { error: unknown } | undefined;
  const postOldest = async () => {
    const oldest = inFlight.shift();
    if (!oldest) return;
    await oldest.copied;
    while (unacked >= MAX_UNACKED) await new Promise<void>((resolve) => (wake = resolve));
    unacked += 1;
    post(oldest.message);
    watched.batchDone();
  };
  try {
    await Promise.all(clients.map((client) => client.connect()));
    for await (const { rows, result, end } of transformedBatches({
      batches: watched.batches,
      pool,
      plan: transformPlan,
      mode,
      batchSize: input.batchSize,
    })) {
      while (inFlight.length >= Math.max(clients.length, 1)) await postOldest();
      if (loadFailed) throw loadFailed.error;
      const copy = result.copy;
      result.copy = undefined;
      const client = clients[loadsStarted++ % Math.max(clients.length, 1)];
      const copied =
        client && load && copy ? loadInTransactions(client, load, copy) : Promise.resolve();
      // Awaited by postOldest; until then a failure must not count as unhandled.
      copied.catch((error: unknown) => (loadFailed ??= { error }));
      // Only the reasons the error report will list cross to the main thread, each cut short: a
      // file of bad rows would otherwise send it one object per row, garbage its large heap
      // keeps long after the import (docs/decisions/0009).
      result.errors = result.errors.slice(0, errorsToSend).map(reported);
      errorsToSend -= result.errors.length;
      inFlight.push({
        copied,
        message: { type: "batch", rows, result, end, bytesRead: source.bytesRead() },
      });
    }
    while (inFlight.length > 0) await postOldest();
    post({ type: "done", bytesRead: source.bytesRead() });
  } finally {
    // A failure elsewhere leaves the loads in flight to finish (or fail) before the sessions end.
    await Promise.all(inFlight.map((entry) => entry.copied.catch(() => {})));
    await pool.close();
    await Promise.all(clients.map((client) => client.end()));
  }
}

// The caller ends the thread once it has read `done` or `failed` (or gives up on it).
run().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  post({
    type: "failed",
    message: (error as Error).message,
    inputError: error instanceof ImportInputError,
    code: typeof code === "string" ? code : undefined,
    bytesRead: bytesRead(),
  });
});
