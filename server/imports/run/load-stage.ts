import type { Dataset, ImportJob } from "../../db/generated/client";
import { continueStage, finishStage, startStage } from "./import-stages";
import { type ImportRun } from "./import-run";
import {
  deleteImportedRows,
  holdBackImportedRows,
  lastLoadedLine,
  loadBatch,
  loadedCount,
  loadedSummary,
} from "../imports.queries";
import { type LoadRow } from "./pipeline/load-rows";
import { ImportInputError } from "./pipeline/import-input-error";
import { withRetryAdvice } from "../jobs/retry-advice";
import { buildTransformPlan } from "./pipeline/transform-plan";
import { openTransformedSource } from "./pipeline/transformed-source";
import { loadTargetOf, type ValidationOutcome } from "./validate-stage";

/**
 * Stages 2 and 3, overlapped: the file is read again, transformed in batches on the workers, and
 * loaded in transactions of LAKE_IMPORT_LOAD_BATCH rows on this thread while the next batches
 * transform. A re-run (retry after a crash) transforms every row again — the checksum must cover
 * the whole file — but loads only lines past the last one loaded; ON CONFLICT covers the rest.
 * Ends with the consistency check: stored count and checksum must equal what was transformed.
 * Until the job succeeds, no reader sees the loaded rows (holdBackImportedRows).
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
  const target = loadTargetOf(run, job);
  await holdBackImportedRows(db, target);
  const resumeAfter = await lastLoadedLine(db, job.id);
  counters.rowsTransformed = 0;
  counters.rowsLoaded = await loadedCount(db, job.id);

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
 * The load of the single pass (`validation.loaded`): the pass has loaded every accepted row into
 * `records` already (hidden until the job succeeds), so what is left is the consistency check.
 */
export async function checkLoadedPass(
  run: ImportRun,
  job: ImportJob,
  loaded: { checksum: string },
): Promise<{ checksum: string; loaded: number }> {
  await continueStage(run.db, job.id, "load");
  return consistencyCheck(run, job, loaded.checksum);
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
