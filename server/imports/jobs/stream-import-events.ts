import { type Principal } from "../../auth/principal";
import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";
import { importChannel, type ImportEvent, isTerminal } from "./import-events";
import { type ImportJobView } from "../imports.schemas";
import { loadAccessibleJob } from "./job-access";
import { toJobView } from "./job-view";

const KEEPALIVE_MS = 15_000;

/**
 * Server-sent events of one import: first its current state (so a reloaded page picks up where
 * it was), then every progress update published by whichever process runs it, until it ends or
 * the client goes away. Subscribes before reading the state, so no update falls in between.
 */
export async function streamImportEvents(options: {
  db: Database;
  cache: CacheServices;
  principal: Principal;
  id: string;
  signal: AbortSignal;
}): Promise<ReadableStream<Uint8Array>> {
  const { cache } = options;
  await loadAccessibleJob({ ...options, permission: "read" });
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const send = (job: ImportJobView) => {
    if (closed) return;
    controller.enqueue(
      encoder.encode(`event: progress\nid: ${Date.now()}\ndata: ${JSON.stringify(job)}\n\n`),
    );
    if (isTerminal(job.status)) close();
  };
  const unsubscribe = await cache.pubsub.subscribe(importChannel(options.id), (message) => {
    const event = message as ImportEvent;
    if (event.type === "progress") send(event.job);
  });
  const keepalive = setInterval(
    () => !closed && controller.enqueue(encoder.encode(": keepalive\n\n")),
    KEEPALIVE_MS,
  );
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(keepalive);
    void unsubscribe();
    try {
      controller.close();
    } catch {
      // Already closed by the client.
    }
  };
  options.signal.addEventListener("abort", close, { once: true });
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel: close,
  });
  const current = await loadAccessibleJob({ ...options, permission: "read" });
  send(toJobView(current));
  return stream;
}
