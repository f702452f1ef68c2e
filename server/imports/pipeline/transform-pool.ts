import { Worker } from "node:worker_threads";

import { type BatchResult, transformBatch, type TransformPlan } from "./row-transform";
import { type SourceRow } from "./source-row";
import { type TransformRequest } from "./transform-worker";

type Reply = { id: number; result?: BatchResult; error?: string };

export type TransformPool = {
  /** Transforms one batch on the next free worker (or inline when there are none). */
  run(plan: TransformPlan, rows: SourceRow[], mode: "validate" | "load"): Promise<BatchResult>;
  /** Batches that may usefully be in flight at once. */
  readonly parallelism: number;
  close(): Promise<void>;
};

const BOOT = new URL("./transform-worker-boot.mjs", import.meta.url);
const ENTRY = new URL("./transform-worker.ts", import.meta.url).href;

/**
 * Up to `size` worker threads for the CPU-bound part of an import (coercion, schema validation,
 * jsonb text and checksums), so parsing and loading on the main thread overlap with it. Size 0
 * runs batches inline, for small deployments and for environments that cannot start workers.
 */
export function createTransformPool(size: number): TransformPool {
  if (size <= 0) {
    return {
      parallelism: 1,
      run: async (plan, rows, mode) => transformBatch(plan, rows, mode),
      close: async () => undefined,
    };
  }
  type Request = { resolve: (result: BatchResult) => void; reject: (error: Error) => void };
  type Slot = { worker: Worker; current?: Request };
  const waiting: Array<() => void> = [];
  let nextId = 0;
  let closed = false;

  const settle = (slot: Slot, settleWith: (request: Request) => void) => {
    const request = slot.current;
    slot.current = undefined;
    waiting.shift()?.();
    if (request) settleWith(request);
  };
  const start = (slot: Slot) => {
    slot.worker = new Worker(BOOT, { workerData: { entry: ENTRY } });
    slot.worker.on("message", (reply: Reply) =>
      settle(slot, (request) =>
        reply.error !== undefined
          ? request.reject(new Error(reply.error))
          : request.resolve(reply.result!),
      ),
    );
    slot.worker.on("error", (error) => {
      settle(slot, (request) => request.reject(error));
      // A crashed worker is replaced, so one bad batch cannot shrink the pool for good.
      if (!closed) start(slot);
    });
    // Idle workers must not keep the process alive at shutdown.
    slot.worker.unref();
  };
  const slots = Array.from({ length: size }, () => {
    const slot = {} as Slot;
    start(slot);
    return slot;
  });

  return {
    parallelism: size,
    async run(plan, rows, mode) {
      let slot = slots.find((s) => !s.current);
      while (!slot) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        slot = slots.find((s) => !s.current);
      }
      const free = slot;
      const message: TransformRequest = { id: nextId++, plan, rows, mode };
      return new Promise<BatchResult>((resolve, reject) => {
        free.current = { resolve, reject };
        free.worker.postMessage(message);
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
