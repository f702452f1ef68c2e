import type { Dataset, ImportJob } from "../../db/generated/client";
import { finishStage, startStage } from "./import-stages";
import { type ImportRun } from "./import-run";
import { type ConcreteFormat } from "../imports.schemas";
import { ImportInputError } from "./pipeline/import-input-error";
import { type ColumnStats } from "./pipeline/row-transform";
import { buildTransformPlan, mergeColumnStats } from "./pipeline/transform-plan";
import { openTransformedSource } from "./pipeline/transformed-source";
import { createStaging, stageRows, stagingMode } from "./staging.queries";

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
   * Single pass: the accepted rows, transformed, are in the run's staging table, and this is the
   * sum of their checksums (what the consistency check expects). Undefined: nothing was staged,
   * and the load transforms the file again (CSV without a schema, whose coercion depends on the
   * whole file's column statistics).
   */
  staged?: { checksum: string };
};

/** Whether the transform is known before the whole file has been seen (then one pass suffices). */
export function canStage(format: ConcreteFormat, dataset: Pick<Dataset, "jsonSchema">): boolean {
  return !(format === "csv" && dataset.jsonSchema === null);
}

/**
 * Stage 1: reads the whole file once — format, encoding, structure, every row through the same
 * transform and schema check the load will use — and records rejected rows in the error report.
 * Nothing is loaded until this has seen the last row, so an import over its error rate loads
 * nothing (docs/decisions/0007-imports.md). Given a `staging` table, and when the transform does
 * not depend on the whole file (`canStage`), it is also the transform stage: accepted rows go,
 * as jsonb, into that table (never into `records`), and the load only moves them.
 */
export async function validateStage(
  run: ImportRun,
  job: ImportJob,
  dataset: Dataset,
  staging?: string,
): Promise<ValidationOutcome> {
  const { db, progress, config } = run;
  await startStage(db, job.id, "validate");
  await db.prisma.importRowError.deleteMany({ where: { jobId: job.id } });
  const timeout = AbortSignal.timeout(config.validationTimeoutSeconds * 1000);
  const signal = AbortSignal.any([timeout, run.signal]);
  const importOptions = run.options;
  const counters = progress.counters;
  Object.assign(counters, {
    rowsValidated: 0,
    rowsTransformed: 0,
    rowsAccepted: 0,
    rowsRejected: 0,
  });
  let reported = 0;
  const inferred: ColumnStats = {};
  // One staging write in flight while the workers transform the next batches.
  let staged: Promise<void> = Promise.resolve();
  let checksum = 0n;
  try {
    const source = await openTransformedSource({
      path: run.uploadPath,
      format: job.format as ConcreteFormat | "auto",
      filename: job.filename,
      importOptions,
      batchSize: config.transformBatch,
      workers: config.workers,
      signal,
    });
    progress.setStage("validate", source.bytesRead);
    const table = staging !== undefined && canStage(source.format, dataset) ? staging : undefined;
    try {
      await db.prisma.importJob.update({ where: { id: job.id }, data: { format: source.format } });
      if (table) {
        await createStaging(db, table);
        await startStage(db, job.id, "transform");
      }
    } catch (error) {
      // Until its batches are read (which end it however they end), the thread is ours to end.
      await source.close();
      throw error;
    }
    const plan = buildTransformPlan({ dataset, format: source.format, importOptions });
    const mode = table ? stagingMode(db) : "validate";
    // A real server's staging is COPYed by the source thread; the embedded one's comes back here.
    const threadStaging = table && mode === "copy" ? { url: db.url, table } : undefined;
    const batches = source.batches(plan, mode, {
      staging: threadStaging,
      reportErrors: MAX_REPORTED_ROW_ERRORS,
    });
    for await (const { rows, result } of batches) {
      progress.count("rowsValidated", rows);
      progress.count("rowsAccepted", result.accepted);
      progress.count("rowsRejected", result.rejected);
      mergeColumnStats(inferred, result.columns);
      if (table) {
        progress.count("rowsTransformed", result.accepted);
        checksum += BigInt(result.checksum);
        if (!threadStaging) {
          await staged;
          staged = stageRows(db, table, result.rows);
          // Handled here; awaited (and so thrown) before the next write or at the end.
          staged.catch(() => undefined);
        }
      }
      const report = result.errors.slice(0, MAX_REPORTED_ROW_ERRORS - reported);
      if (report.length) {
        await db.prisma.importRowError.createMany({
          data: report.map((e) => ({
            jobId: job.id,
            line: e.line,
            column: e.column,
            reason: e.reason,
          })),
        });
        reported += report.length;
      }
      await progress.tick();
    }
    await staged;
    await progress.flush();
    await finishStage(db, job.id, "validate", {
      rowsIn: counters.rowsValidated,
      rowsOut: counters.rowsAccepted,
    });
    if (table) {
      await finishStage(db, job.id, "transform", {
        rowsIn: counters.rowsAccepted,
        rowsOut: counters.rowsTransformed,
      });
    }
    return {
      format: source.format,
      rows: counters.rowsValidated,
      accepted: counters.rowsAccepted,
      rejected: counters.rowsRejected,
      inferred,
      staged: table ? { checksum: checksum.toString() } : undefined,
    };
  } catch (error) {
    await staged.catch(() => undefined);
    if (timeout.aborted && !run.signal.aborted) {
      throw new StageTimeoutError(
        `Validation took longer than ${config.validationTimeoutSeconds} s.`,
      );
    }
    throw error;
  }
}

/** Fails the import, before anything is loaded, when too many rows were rejected. */
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
