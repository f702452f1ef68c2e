import type { Dataset, ImportJob } from "../../db/generated/client";
import { finishStage, startStage } from "./import-stages";
import { type ImportRun } from "./import-run";
import { type ConcreteFormat } from "../imports.schemas";
import { ImportInputError } from "./pipeline/import-input-error";
import { type ColumnStats } from "./pipeline/row-transform";
import { buildTransformPlan, mergeColumnStats } from "./pipeline/transform-plan";
import { openTransformedSource } from "./pipeline/transformed-source";
import { logger } from "../../observability/logger";
import { holdBackImportedRows, loadBatch } from "../imports.queries";
import { type LoadRow, type LoadTarget } from "./pipeline/load-rows";
import { type Checkpoint, saveCheckpoint } from "./checkpoint";
import { type PassState, startingPoint } from "./starting-point";

/** Rejected rows kept for the error report; the count goes on past it. */
export const MAX_REPORTED_ROW_ERRORS = 10_000;

export class StageTimeoutError extends Error {}

export type ValidationOutcome = {
  format: ConcreteFormat;
  rows: number;
  accepted: number;
  rejected: number;
  inferred: ColumnStats;
  /**
   * Single pass: the accepted rows, transformed, are in `records` (hidden until the job succeeds,
   * docs/decisions/0020), and this is the sum of their checksums (what the consistency check
   * expects). Undefined: nothing was loaded, and the load transforms the file again (CSV without a
   * schema, whose coercion depends on the whole file's column statistics).
   */
  loaded?: { checksum: string };
};

/** Whether the transform is known before the whole file has been seen (then one pass suffices). */
export function canLoadInPass(
  format: ConcreteFormat,
  dataset: Pick<Dataset, "jsonSchema">,
): boolean {
  return !(format === "csv" && dataset.jsonSchema === null);
}

/**
 * Stage 1: reads the whole file once — format, encoding, structure, every row through the same
 * transform and schema check the load will use — and records rejected rows in the error report.
 * When the transform does not depend on the whole file (`canLoadInPass`), it is also the transform
 * and load stages: accepted rows go into `records` in transactions of LAKE_IMPORT_LOAD_BATCH (on a
 * real server by the source thread, on its own connection, while it parses the next batch), hidden
 * from every reader until the job succeeds (docs/decisions/0020). An import over its error rate
 * fails, and its rows are deleted with the failure: none is ever shown (0007's guarantee).
 *
 * It saves a checkpoint every few seconds (checkpoint.ts), and a retried run goes on from the
 * last one instead of from the first row. The stage's time limit
 * (LAKE_IMPORT_VALIDATION_TIMEOUT_SECONDS, the seed's 300 s) applies to each batch, the unit of
 * work the pass can always finish: a pass that stops making progress fails (and is retried, from
 * its checkpoint), while a file of any size can be read (docs/decisions/0018).
 */
export async function validateStage(
  run: ImportRun,
  job: ImportJob,
  dataset: Dataset,
): Promise<ValidationOutcome> {
  const { db, progress, config } = run;
  await startStage(db, job.id, "validate");
  const limitMs = config.validationTimeoutSeconds * 1000;
  const watchdog = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => watchdog.abort(new StageTimeoutError()), limitMs);
  };
  const signal = AbortSignal.any([watchdog.signal, run.signal]);
  const importOptions = run.options;
  const counters = progress.counters;
  // A retry knows the format (the first run wrote it on the job), so whether rows are loaded.
  const knownFormat = job.format === "auto" ? null : (job.format as ConcreteFormat);
  const { checkpoint, state } = await startingPoint(
    run,
    job,
    knownFormat !== null && canLoadInPass(knownFormat, dataset),
  );
  if (checkpoint) {
    logger().info(
      { jobId: job.id, line: checkpoint.at.line, rows: checkpoint.rowsValidated },
      "import resumes from its checkpoint",
    );
    if (checkpoint.complete) {
      return finishPass(run, job, knownFormat!, checkpoint.loaded, state);
    }
  }

  // The embedded database's loads: one in flight while the workers transform the next batches.
  let loaded: Promise<void> = Promise.resolve();
  let savedAt = Date.now();
  let batchesLoaded = 0;
  const snapshot = (
    target: LoadTarget | undefined,
    complete: boolean,
    fileBytes: number,
  ): Checkpoint => ({
    attempt: job.attempts,
    loaded: target !== undefined,
    complete,
    at: state.at ?? { bytes: 0, line: 0 },
    fileBytes,
    rowsValidated: counters.rowsValidated,
    rowsAccepted: counters.rowsAccepted,
    rowsRejected: counters.rowsRejected,
    checksum: state.checksum.toString(),
    inferred: state.inferred,
  });
  try {
    rearm();
    const source = await openTransformedSource({
      path: run.uploadPath,
      format: job.format as ConcreteFormat | "auto",
      filename: job.filename,
      importOptions,
      batchSize: config.transformBatch,
      workers: config.workers,
      resumeAt: checkpoint?.at,
      signal,
    });
    progress.setStage("validate", source.bytesRead);
    const target = canLoadInPass(source.format, dataset) ? loadTargetOf(run, job) : undefined;
    try {
      await db.prisma.importJob.update({ where: { id: job.id }, data: { format: source.format } });
      if (target) {
        await holdBackImportedRows(db, target);
        await startStage(db, job.id, "transform");
        await startStage(db, job.id, "load");
      }
    } catch (error) {
      // Until its batches are read (which end it however they end), the thread is ours to end.
      await source.close();
      throw error;
    }
    const plan = buildTransformPlan({ dataset, format: source.format, importOptions });
    // A real server's rows are loaded by the source thread; the embedded database's (whose socket
    // breaks on COPY FROM STDIN) come back here.
    const mode = !target ? "validate" : db.mode === "server" ? "copy" : "load";
    const threadLoad =
      target && mode === "copy"
        ? {
            url: db.url,
            target,
            transactionRows: config.loadBatch,
            connections: config.loadConnections,
          }
        : undefined;
    const batches = source.batches(plan, mode, {
      load: threadLoad,
      reportErrors: MAX_REPORTED_ROW_ERRORS - state.reported,
    });
    for await (const { rows, result, end } of batches) {
      rearm();
      progress.count("rowsValidated", rows);
      progress.count("rowsAccepted", result.accepted);
      progress.count("rowsRejected", result.rejected);
      mergeColumnStats(state.inferred, result.columns);
      if (target) {
        progress.count("rowsTransformed", result.accepted);
        progress.count("rowsLoaded", result.accepted);
        state.checksum += BigInt(result.checksum);
        if (!threadLoad) {
          await loaded;
          loaded = loadInBatches(run, target, result.rows);
          // Handled here; awaited (and so thrown) before the next load or at the end.
          loaded.catch(() => undefined);
        }
      }
      const report = result.errors.slice(0, MAX_REPORTED_ROW_ERRORS - state.reported);
      if (report.length) {
        await db.prisma.importRowError.createMany({
          data: report.map((e) => ({
            jobId: job.id,
            line: e.line,
            column: e.column,
            reason: e.reason,
          })),
        });
        state.reported += report.length;
      }
      if (end) state.at = end;
      if (end && Date.now() - savedAt >= config.checkpointEveryMs) {
        // Its rows are loaded (a real server's by the thread before it sent the batch).
        await loaded;
        await saveCheckpoint(db, job.id, snapshot(target, false, source.bytesRead()));
        savedAt = Date.now();
      }
      await run.hooks?.afterValidateBatch?.({ jobId: job.id, rows, attempt: run.attempt });
      if (target && run.hooks?.afterLoadBatch) {
        await loaded;
        batchesLoaded += 1;
        await run.hooks.afterLoadBatch({
          jobId: job.id,
          batch: batchesLoaded,
          attempt: run.attempt,
        });
      }
      await progress.tick();
    }
    await loaded;
    clearTimeout(timer);
    await saveCheckpoint(db, job.id, snapshot(target, true, source.bytesRead()));
    return await finishPass(run, job, source.format, target !== undefined, state);
  } catch (error) {
    await loaded.catch(() => undefined);
    if (watchdog.signal.aborted && !run.signal.aborted) {
      throw new StageTimeoutError(
        `Validation made no progress for ${config.validationTimeoutSeconds} s (the limit applies to each batch of up to ${config.transformBatch} rows); it resumes from its last checkpoint.`,
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The pass is over (now, or in the run that saved a complete checkpoint): the stages' outcome. */
async function finishPass(
  run: ImportRun,
  job: ImportJob,
  format: ConcreteFormat,
  loaded: boolean,
  state: PassState,
): Promise<ValidationOutcome> {
  const { db, progress } = run;
  const counters = progress.counters;
  await progress.flush();
  await finishStage(db, job.id, "validate", {
    rowsIn: counters.rowsValidated,
    rowsOut: counters.rowsAccepted,
  });
  if (loaded) {
    await finishStage(db, job.id, "transform", {
      rowsIn: counters.rowsAccepted,
      rowsOut: counters.rowsTransformed,
    });
  }
  return {
    format,
    rows: counters.rowsValidated,
    accepted: counters.rowsAccepted,
    rejected: counters.rowsRejected,
    inferred: state.inferred,
    loaded: loaded ? { checksum: state.checksum.toString() } : undefined,
  };
}

/** What this run loads into: the job's dataset and owner, fenced by the run's attempt. */
export function loadTargetOf(run: ImportRun, job: ImportJob): LoadTarget {
  return {
    importId: job.id,
    datasetId: job.datasetId,
    ownerId: job.ownerId,
    runAttempt: job.attempts,
    embedding: run.options.embedding,
  };
}

/** The embedded database's load of a batch: transactions of LAKE_IMPORT_LOAD_BATCH rows. */
async function loadInBatches(run: ImportRun, target: LoadTarget, rows: LoadRow[]): Promise<void> {
  for (let from = 0; from < rows.length; from += run.config.loadBatch) {
    await loadBatch(run.db, target, rows.slice(from, from + run.config.loadBatch));
  }
}

/**
 * Fails the import when too many rows were rejected: before anything is shown (a single pass's
 * rows are in `records`, hidden, and go with the failure; decision 0020).
 */
export function assertWithinErrorRate(outcome: ValidationOutcome, errorRate: number): void {
  if (outcome.accepted === 0) {
    throw new ImportInputError(
      `None of the ${outcome.rows} rows is valid; the error report says why.`,
    );
  }
  const rate = outcome.rejected / outcome.rows;
  if (rate > errorRate) {
    throw new ImportInputError(
      `${outcome.rejected} of ${outcome.rows} rows (${(rate * 100).toFixed(2)} %) were rejected, above the allowed error rate of ${(errorRate * 100).toFixed(2)} %; the error report lists them.`,
    );
  }
}
