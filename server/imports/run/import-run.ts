import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";
import { type ImportConfig } from "./import-config";
import { type ImportProgress } from "./import-progress";
import { type ImportOptions } from "../imports.schemas";

/** Fault injection for tests (a crash or a stall mid-run); never set in production. */
export type ImportHooks = {
  /** After each validated batch of `rows` rows. */
  afterValidateBatch?: (at: {
    jobId: string;
    rows: number;
    attempt: number;
  }) => Promise<void> | void;
  /**
   * After each batch loaded into `records`: a transform batch of the single pass (its load
   * transactions committed), or a load transaction of the two-pass load.
   */
  afterLoadBatch?: (at: { jobId: string; batch: number; attempt: number }) => Promise<void> | void;
};

/** What the stages of one run share. */
export type ImportRun = {
  db: Database;
  cache: CacheServices;
  config: ImportConfig;
  /** The job's options (delimiter, mapping, embedding…), parsed once as the run starts. */
  options: ImportOptions;
  progress: ImportProgress;
  /** Aborted when the job is cancelled. */
  signal: AbortSignal;
  uploadPath: string;
  attempt: number;
  hooks?: ImportHooks;
};
