import { parentPort } from "node:worker_threads";

import { transformBatch, type TransformMode, type TransformPlan } from "./row-transform";
import { type SourceRow } from "./source-row";

export type TransformRequest = {
  id: number;
  plan: TransformPlan;
  rows: SourceRow[];
  mode: TransformMode;
};

// One batch at a time; the pool keeps every worker busy by handing out the next batch on reply.
parentPort?.on("message", (request: TransformRequest) => {
  try {
    const result = transformBatch(request.plan, request.rows, request.mode);
    // The COPY text's buffer moves to the caller instead of being copied.
    parentPort!.postMessage({ id: request.id, result }, result.copy ? [result.copy.buffer] : []);
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: (error as Error).message });
  }
});
