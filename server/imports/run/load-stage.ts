import type { Dataset, ImportJob } from "../../db/generated/client";
import { finishStage, startStage } from "./import-stages";
import { type ImportRun } from "./import-run";
import {
  deleteImportedRows,
  lastLoadedLine,
  loadBatch,
  type LoadRow,
  loadedSummary,
} from "../imports.queries";
import { ImportInputError } from "./pipeline/import-input-error";
import { withRetryAdvice } from "../jobs/retry-advice";
import { buildTransformPlan } from "./pipeline/transform-plan";
import { openTransformedSource } from "./pipeline/transformed-source";
import { indexStaging, moveStagedBatch } from "./staging.queries";
import { type ValidationOutcome } from "./validate-stage";

/**
 * Stages 2 and 3, overlapped: the file is read again, transformed in batches on the workers, and
 * loaded in transactions of LAKE_IMPORT_LOAD_BATCH rows on this thread while the next batches
 * transform. A re-run (retry after a crash) transforms every row again — the checksum must cover
 * the whole file — but loads only lines past the last one loaded; ON CONFLICT covers the rest.
 * Ends with the consistency check: stored count and checksum must equal what was transformed.
 */
export async function transformAndLoadStages(
  run: ImportRun,
  job: ImportJob,
  dataset: Dataset,
  validation: ValidationOutcome,
): Promise<{ checksum: string; loaded: number }> {
  const { db, progress, config } = run;
  const counters = progress.counters;
  const importOptions = run.options;
  const plan = buildTransformPlan({
    dataset,
    format: validation.format,
    importOptions,
    inferred: validation.inferred,
  });
  const target = {
    importId: job.id,
    datasetId: dataset.id,
    ownerId: job.ownerId,
    runAttempt: job.attempts,
    embedding: importOptions.embedding,
  };
  const resumeAfter = await lastLoadedLine(db, job.id);
  counters.rowsTransformed = 0;
  counters.rowsLoaded = (await loadedSummary(db, job.id)).count;

  await startStage(db, job.id, "transform");
  await startStage(db, job.id, "load");
  progress.setStage(resumeAfter > 0 ? "load" : "transform");
  const source = await openTransformedSource({
    path: run.uploadPath,
    format: validation.format,
    filename: job.filename,
    importOptions,
    batchSize: config.transformBatch,
    workers: config.workers,
    signal: run.signal,
  });
  let checksum = 0n;
  let batchesLoaded = 0;
  let pending: LoadRow[] = [];
  const load = async (rows: LoadRow[]) => {
    progress.count("rowsLoaded", await loadBatch(db, target, rows));
    batchesLoaded += 1;
    progress.setStage("load");
    await run.hooks?.afterLoadBatch?.({
      jobId: job.id,
      batch: batchesLoaded,
      attempt: run.attempt,
    });
    await progress.tick();
  };

  for await (const { result } of source.batches(plan, "load")) {
    progress.count("rowsTransformed", result.accepted);
    checksum += BigInt(result.checksum);
    for (const row of result.rows) if (row.line > resumeAfter) pending.push(row);
    while (pending.length >= config.loadBatch) await load(pending.splice(0, config.loadBatch));
    await progress.tick();
  }
  await finishStage(db, job.id, "transform", {
    rowsIn: validation.accepted,
    rowsOut: counters.rowsTransformed,
  });
  if (pending.length) await load(pending);
  pending = [];
  await progress.flush();
  return consistencyCheck(run, job, checksum.toString());
}

/**
 * The load of the single pass (`validation.staged`): the rows are already transformed, as jsonb,
 * in the run's staging table; this moves them into `records` in line order, in transactions of
 * LAKE_IMPORT_LOAD_BATCH rows of pure SQL, after the last line an earlier run loaded (ON
 * CONFLICT covers any overlap), then runs the same consistency check.
 */
export async function moveStagedStage(
  run: ImportRun,
  job: ImportJob,
  staging: string,
  expectedChecksum: string,
): Promise<{ checksum: string; loaded: number }> {
  const { db, progress, config } = run;
  const counters = progress.counters;
  const target = {
    importId: job.id,
    datasetId: job.datasetId,
    ownerId: job.ownerId,
    runAttempt: job.attempts,
    embedding: run.options.embedding,
  };
  let after = await lastLoadedLine(db, job.id);
  counters.rowsLoaded = (await loadedSummary(db, job.id)).count;
  await startStage(db, job.id, "load");
  progress.setStage("load");
  await indexStaging(db, staging);
  let batchesLoaded = 0;
  for (;;) {
    // A shutdown stops the run between transactions (it resumes after the last line loaded).
    run.signal.throwIfAborted();
    const { inserted, last } = await moveStagedBatch(db, staging, target, after, config.loadBatch);
    if (last === null) break;
    after = last;
    progress.count("rowsLoaded", inserted);
    batchesLoaded += 1;
    await run.hooks?.afterLoadBatch?.({
      jobId: job.id,
      batch: batchesLoaded,
      attempt: run.attempt,
    });
    await progress.tick();
  }
  await progress.flush();
  return consistencyCheck(run, job, expectedChecksum);
}

/** Stored count and checksum must equal what was transformed, or the rows go, the job fails. */
async function consistencyCheck(
  run: ImportRun,
  job: ImportJob,
  expected: string,
): Promise<{ checksum: string; loaded: number }> {
  const { db, progress } = run;
  const counters = progress.counters;
  const stored = await loadedSummary(db, job.id);
  if (stored.count !== counters.rowsTransformed || stored.checksum !== expected) {
    await deleteImportedRows(db, job.id);
    throw new ImportInputError(
      withRetryAdvice(
        `The consistency check failed (stored ${stored.count} rows with checksum ${stored.checksum}; transformed ${counters.rowsTransformed} with ${expected}); the loaded rows were removed.`,
      ),
    );
  }
  counters.rowsLoaded = stored.count;
  await finishStage(db, job.id, "load", {
    rowsIn: counters.rowsTransformed,
    rowsOut: stored.count,
  });
  return { checksum: expected, loaded: stored.count };
}
