import type { Dataset, ImportJob } from "../../db/generated/client";
import { finishStage, startStage } from "./import-stages";
import { type ImportRun } from "./import-run";
import {
  deleteImportedRows,
  holdBackImportedRows,
  lastLoadedLine,
  loadBatch,
  loadedCount,
  type LoadRow,
  loadedSummary,
} from "../imports.queries";
import { ImportInputError } from "./pipeline/import-input-error";
import { withRetryAdvice } from "../jobs/retry-advice";
import { buildTransformPlan } from "./pipeline/transform-plan";
import { openTransformedSource } from "./pipeline/transformed-source";
import { saveMoveMark } from "./checkpoint";
import { indexStaging, moveStagedRange, stagedRanges } from "./staging.queries";
import { type ValidationOutcome } from "./validate-stage";

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
  const target = {
    importId: job.id,
    datasetId: dataset.id,
    ownerId: job.ownerId,
    runAttempt: job.attempts,
    embedding: importOptions.embedding,
  };
  await holdBackImportedRows(db, job.id);
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
 * The load of the single pass (`validation.staged`): the rows are already transformed, as jsonb,
 * in the run's staging table; this moves them into `records` in line order, in transactions of
 * LAKE_IMPORT_LOAD_BATCH rows of pure SQL, LAKE_IMPORT_LOAD_CONNECTIONS of them at once, each
 * connection taking the next range as soon as its last one committed (on a real server: the
 * index upkeep is PostgreSQL's work, and a second backend puts the second core to it). The
 * move's mark is saved as it goes (saveMoveMark); a resumed move starts after it, and ON CONFLICT
 * covers any overlap. Then the same consistency check. The moved rows stay hidden from every
 * reader until the job succeeds (holdBackImportedRows): the import appears all at once.
 */
export async function moveStagedStage(
  run: ImportRun,
  job: ImportJob,
  staging: string,
  staged: { checksum: string; moved: number },
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
  // The embedded database has one session: its moves go one at a time.
  const lanes = db.mode === "server" ? config.loadConnections : 1;
  await holdBackImportedRows(db, job.id);
  counters.rowsLoaded = await loadedCount(db, job.id);
  await startStage(db, job.id, "load");
  progress.setStage("load");
  await indexStaging(db, staging, config.stagingTablespace);
  const ranges = stagedRanges(db, staging, staged.moved, config.loadBatch);
  // Ranges commit out of order across lanes: the mark is the end of the longest run of
  // committed ranges from the start, saved (at most every second) as it moves.
  const committed = new Map<number, number>();
  let marked = { index: -1, through: staged.moved };
  let markSavedAt = 0;
  let batchesLoaded = 0;
  let failed = false;
  const lane = async () => {
    for (;;) {
      // A shutdown stops the run between transactions (it resumes after the mark).
      run.signal.throwIfAborted();
      const step = failed ? undefined : await ranges.next();
      if (!step || step.done === true) return;
      const next = step.value;
      progress.count(
        "rowsLoaded",
        await moveStagedRange(db, staging, target, next.after, next.through),
      );
      committed.set(next.index, next.through);
      while (committed.has(marked.index + 1)) {
        marked = { index: marked.index + 1, through: committed.get(marked.index + 1)! };
        committed.delete(marked.index);
      }
      if (Date.now() - markSavedAt >= 1_000) {
        markSavedAt = Date.now();
        await saveMoveMark(db, job, marked.through);
      }
      batchesLoaded += 1;
      await run.hooks?.afterLoadBatch?.({
        jobId: job.id,
        batch: batchesLoaded,
        attempt: run.attempt,
      });
      await progress.tick();
    }
  };
  const outcomes = await Promise.allSettled(
    Array.from({ length: lanes }, () =>
      lane().catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((outcome) => outcome.status === "rejected");
  if (failure) throw failure.reason;
  await progress.flush();
  return consistencyCheck(run, job, staged.checksum);
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
