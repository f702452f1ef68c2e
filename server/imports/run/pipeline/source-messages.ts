import { type ConcreteFormat, type ImportFormat, type ImportOptions } from "../../imports.schemas";
import { type ThreadLoad } from "./load-rows";
import { type BatchResult, type TransformMode, type TransformPlan } from "./row-transform";
import { type SourcePosition } from "./source-row";

/** What the main thread gives a source thread to start with (its workerData input). */
export type SourceThreadInput = {
  path: string;
  format: ImportFormat;
  filename: string | null;
  importOptions: ImportOptions;
  batchSize: number;
  /** Transform threads the source thread may start under it (LAKE_IMPORT_WORKERS). */
  workers: number;
  /** Read from here, not from the start: a run resuming from its checkpoint (checkpoint.ts). */
  resumeAt?: SourcePosition;
};

/** What a source thread starts with: the input, and where it notes the rows it holds (rows-held.ts). */
export type SourceThreadData = { input: SourceThreadInput; rowsHeld: SharedArrayBuffer };

/** Main thread → source thread. */
export type ToSource =
  /**
   * The plan depends on the format, which only the source thread's first read tells. With
   * `load` (copy mode), the thread loads each batch into `records` itself (load-rows.ts) and
   * sends back the rest.
   */
  | {
      type: "plan";
      plan: TransformPlan;
      mode: TransformMode;
      load?: ThreadLoad;
      /** Rejected rows to send the reasons of, in all (the error report's); the rest are counted. */
      reportErrors: number;
    }
  /** One batch consumed: the source thread may send another (flow control). */
  | { type: "ack" };

/** Source thread → main thread. Every message carries the bytes of the file read so far. */
export type FromSource =
  | { type: "opened"; format: ConcreteFormat; bytesRead: number }
  | {
      type: "batch";
      rows: number;
      result: BatchResult;
      /** Where the source stands after the batch, if a later run can resume from there. */
      end: SourcePosition | null;
      bytesRead: number;
    }
  | { type: "done"; bytesRead: number }
  | {
      type: "failed";
      message: string;
      inputError: boolean;
      /** The error's code, when it had one (PostgreSQL's SQLSTATE, from the batch's load). */
      code?: string;
      bytesRead: number;
    };
