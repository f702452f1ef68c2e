import { availableParallelism } from "node:os";
import { type Worker } from "node:worker_threads";

import { startThread, threadModule } from "../../../threads/thread-module";
import {
  type BatchResult,
  transformBatch,
  type TransformMode,
  type TransformPlan,
} from "./row-transform";
import { type SourceRow } from "./source-row";
import { type TransformRequest } from "./transform-worker";

type Reply = { id: number; result?: BatchResult; error?: string };

export type TransformPool = {
  /** Transforms one batch on the next free worker (or inline when there are none). */
  run(plan: TransformPlan, rows: SourceRow[], mode: TransformMode): Promise<BatchResult>;
  /** Batches that may usefully be in flight at once. */
  readonly parallelism: number;
  /** Worker threads alive right now (they start on demand and end when idle). */
  readonly threads: number;
  close(): Promise<void>;
};

export type TransformPoolOptions = {
  /** A thread idle this long ends (default 3 s): between imports the pool holds no memory. */
  idleMs?: number;
  /** Each thread's old-generation heap in MB (default 96). */
  heapMb?: number;
};

const TRANSFORM_THREAD = threadModule(new URL("./transform-worker.ts", import.meta.url));
const DEFAULT_IDLE_MS = 3_000;
/**
 * A thread's heap, capped: V8 otherwise lets each one grow towards its default limit before it
 * collects (measured on 300k bench rows with 2 threads: peak RSS 520 MB uncapped, ~400 MB capped).
 * A batch that does not fit (very large rows) is transformed in the calling thread instead.
 */
export const IMPORT_THREAD_HEAP_MB = 48;
const IMPORT_THREAD_YOUNG_MB = 8;

/** The heap limits of an import's threads, transform and source alike (0009). */
export const importThreadLimits = (heapMb = IMPORT_THREAD_HEAP_MB) => ({
  maxOldGenerationSizeMb: heapMb,
  maxYoungGenerationSizeMb: IMPORT_THREAD_YOUNG_MB,
});

/**
 * Transform threads worth starting under one import's source thread: LAKE_IMPORT_WORKERS, but no
 * more than the cores left once the source thread (parsing) and the server with PostgreSQL's side
 * of the COPY have one each. On the 2-core bench machine that is none: the source thread
 * transforms inline. Measured again on 2026-12-06 (bench:import, 1M rows, two runs each): one
 * thread made the pass 20–25 % faster (11.7–12.7 s against 15.1–15.9 s) but put the server's
 * peak at 314–339 MB, over the 300 MB the imports issue allows; inline it stayed at 287–296 MB
 * (docs/decisions/0009, 0018).
 */
export function transformThreads(requested: number): number {
  return Math.max(0, Math.min(requested, availableParallelism() - 2));
}

/**
 * Up to `size` worker threads for the CPU-bound part of an import (coercion, schema validation,
 * jsonb text and checksums), so that parsing overlaps with it. Threads start with the first batch
 * that needs one and end after `idleMs` without work. Size 0 runs batches inline.
 */
export function createTransformPool(
  size: number,
  options: TransformPoolOptions = {},
): TransformPool {
  if (size <= 0) {
    return {
      parallelism: 1,
      threads: 0,
      run: async (plan, rows, mode) => transformBatch(plan, rows, mode),
      close: async () => undefined,
    };
  }
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const resourceLimits = importThreadLimits(options.heapMb);
  type Request = {
    resolve: (result: BatchResult) => void;
    reject: (error: Error) => void;
    /** Kept only to redo the batch inline if the thread runs out of memory. */
    batch: Pick<TransformRequest, "plan" | "rows" | "mode">;
  };
  type Slot = { worker: Worker; current?: Request; idle?: NodeJS.Timeout };
  const slots: Slot[] = [];
  const waiting: Array<() => void> = [];
  let nextId = 0;
  let closed = false;

  const retire = (slot: Slot) => {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    clearTimeout(slot.idle);
    void slot.worker.terminate();
  };
  const settle = (slot: Slot, settleWith: (request: Request) => void) => {
    const request = slot.current;
    slot.current = undefined;
    clearTimeout(slot.idle);
    slot.idle = setTimeout(() => retire(slot), idleMs);
    slot.idle.unref();
    waiting.shift()?.();
    if (request) settleWith(request);
  };
  const start = (): Slot => {
    const slot = {
      worker: startThread(TRANSFORM_THREAD, { resourceLimits }),
    } as Slot;
    slot.worker.on("message", (reply: Reply) =>
      settle(slot, (request) =>
        reply.error !== undefined
          ? request.reject(new Error(reply.error))
          : request.resolve(reply.result!),
      ),
    );
    slot.worker.on("error", (error: Error & { code?: string }) => {
      const request = slot.current;
      slot.current = undefined;
      // A crashed worker is dropped; the next batch starts a new one, so one bad batch cannot
      // shrink the pool for good.
      retire(slot);
      waiting.shift()?.();
      if (!request) return;
      if (error.code !== "ERR_WORKER_OUT_OF_MEMORY") return request.reject(error);
      const { plan, rows, mode } = request.batch;
      try {
        request.resolve(transformBatch(plan, rows, mode));
      } catch (inline) {
        request.reject(inline as Error);
      }
    });
    // Idle workers must not keep the process alive at shutdown.
    slot.worker.unref();
    slots.push(slot);
    return slot;
  };
  const freeSlot = (): Slot | undefined => {
    if (closed) throw new Error("The transform pool is closed.");
    return slots.find((s) => !s.current) ?? (slots.length < size ? start() : undefined);
  };

  return {
    parallelism: size,
    get threads() {
      return slots.length;
    },
    async run(plan, rows, mode) {
      let slot = freeSlot();
      while (!slot) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        slot = freeSlot();
      }
      const free = slot;
      clearTimeout(free.idle);
      const message: TransformRequest = { id: nextId++, plan, rows, mode };
      return new Promise<BatchResult>((resolve, reject) => {
        free.current = { resolve, reject, batch: { plan, rows, mode } };
        free.worker.postMessage(message);
      });
    },
    async close() {
      closed = true;
      const all = slots.splice(0);
      for (const slot of all) clearTimeout(slot.idle);
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
