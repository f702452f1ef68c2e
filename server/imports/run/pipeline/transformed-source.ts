import { startThread, threadModule } from "../../../threads/thread-module";
import { type ConcreteFormat } from "../../imports.schemas";
import { type ThreadLoad } from "./load-rows";
import { ImportInputError, ImportMemoryError } from "./import-input-error";
import { type BatchResult, type TransformMode, type TransformPlan } from "./row-transform";
import { createRowsHeld, readRowsHeld } from "./rows-held";
import { type SourcePosition } from "./source-row";
import {
  type FromSource,
  type SourceThreadData,
  type SourceThreadInput,
  type ToSource,
} from "./source-messages";
import { IMPORT_THREAD_HEAP_MB, importThreadLimits } from "./transform-pool";
import { MAX_BATCH_CHARS } from "./transformed-batches";

const SOURCE_THREAD = threadModule(new URL("./source-thread.ts", import.meta.url));

export type TransformedBatch = {
  rows: number;
  result: BatchResult;
  /** Where the source stands after this batch, if a later run can resume from there. */
  end: SourcePosition | null;
};

export type TransformedSource = {
  format: ConcreteFormat;
  /** Bytes of the file read so far (before gunzip). */
  bytesRead: () => number;
  /**
   * The file's rows through `plan`, in batches, in file order. Call once. With `load` (copy
   * mode, a real server), the thread has loaded each batch's rows into `records` (hidden until
   * the job succeeds, docs/decisions/0020) before it is yielded.
   * Every batch counts its rejected rows; only the first `reportErrors` of them in all (default
   * none) come with their reasons.
   */
  batches(
    plan: TransformPlan,
    mode: TransformMode,
    options?: { load?: ThreadLoad; reportErrors?: number },
  ): AsyncGenerator<TransformedBatch>;
  /** Ends the thread (done by `batches` when it finishes or is left early). */
  close(): Promise<void>;
};

/**
 * A row at least this long is, alone, a good part of what a transform batch may hold (batches are
 * cut at MAX_BATCH_CHARS): only then may running out of memory be put down to the row.
 */
const LARGE_ROW_CHARS = MAX_BATCH_CHARS / 2;

/**
 * Why the source thread ran out of memory, as far as its rows tell: one row too large for the
 * heap is the file's problem (fails at once); short rows mean the importer did not bound its
 * memory, which no row should be blamed for.
 */
function outOfMemory(rowsHeld: SharedArrayBuffer, batchSize: number): Error {
  const { longestChars, longestLine, lastLine } = readRowsHeld(rowsHeld);
  const chars = longestChars.toLocaleString("en-US");
  if (longestChars >= LARGE_ROW_CHARS) {
    return new ImportInputError(
      `The row at line ${longestLine} (${chars} characters) did not fit the import's memory (${IMPORT_THREAD_HEAP_MB} MB) once parsed: shorten or split rows this large.`,
    );
  }
  return new ImportMemoryError(
    `The import ran out of its memory (${IMPORT_THREAD_HEAP_MB} MB) ${lastLine ? `near line ${lastLine}` : "before its first rows were parsed"}, with transform batches of up to ${batchSize} rows: a fault of the importer or its settings, not of the file (the longest row it held had ${chars} characters).`,
  );
}

/**
 * Opens an upload in a source thread (source-thread.ts), which reads, parses and — on transform
 * threads under it — transforms the rows, so none of that work or garbage is the main thread's:
 * what comes back per batch is the transform's result (one COPY string, or the rows to load).
 * Resolves once the format is known, so the caller can build the plan for it. The thread sends at
 * most two batches ahead of the consumer, so memory is bounded by batch size, not file size.
 */
export async function openTransformedSource(
  input: SourceThreadInput & { signal?: AbortSignal },
): Promise<TransformedSource> {
  const { signal, ...threadInput } = input;
  signal?.throwIfAborted();
  // Capped like the transform threads': its garbage (parsed rows) is collected early instead of
  // growing the heap towards V8's default limit (docs/decisions/0009).
  const rowsHeld = createRowsHeld();
  const worker = startThread(SOURCE_THREAD, {
    input: { input: threadInput, rowsHeld } satisfies SourceThreadData,
    resourceLimits: importThreadLimits(),
  });
  let bytesRead = 0;
  const inbox: FromSource[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on("message", (message: FromSource) => {
    bytesRead = message.bytesRead || bytesRead;
    inbox.push(message);
    notify();
  });
  worker.on("error", (error: Error & { code?: string }) => {
    failure =
      error.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? outOfMemory(rowsHeld, threadInput.batchSize)
        : error;
    notify();
  });
  worker.on("exit", (code) => {
    failure ??= new Error(`The import's source thread exited (${code}).`);
    notify();
  });
  const onAbort = () => {
    failure = signal!.reason as Error;
    notify();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const close = async () => {
    signal?.removeEventListener("abort", onAbort);
    await worker.terminate();
  };

  /** The next message, in order; throws on a failure, an abort or a thread that died. */
  const receive = async (): Promise<FromSource> => {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const message = inbox.shift();
      if (message?.type === "failed") {
        throw message.inputError
          ? new ImportInputError(message.message)
          : Object.assign(new Error(message.message), { code: message.code });
      }
      if (message) return message;
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const send = (message: ToSource) => worker.postMessage(message);

  try {
    const opened = await receive();
    if (opened.type !== "opened")
      throw new Error(`unexpected ${opened.type} from the source thread`);
    return {
      format: opened.format,
      bytesRead: () => bytesRead,
      close,
      async *batches(plan, mode, options = {}) {
        try {
          const { load, reportErrors = 0 } = options;
          send({ type: "plan", plan, mode, load, reportErrors });
          for (let message = await receive(); message.type === "batch"; message = await receive()) {
            yield { rows: message.rows, result: message.result, end: message.end };
            send({ type: "ack" });
          }
        } finally {
          await close();
        }
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
