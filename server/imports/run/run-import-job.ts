import { recordAudit } from "../../audit/record-audit";
import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";
import { Prisma } from "../../db/generated/client";
import { recordCache } from "../../data/records/record-cache";
import { toAppError } from "../../errors/to-app-error";
import { logger } from "../../observability/logger";
import { afterEmbeddingsChanged } from "../../vectors/embeddings/write-embeddings";
import { importChannel, type ImportEvent, publishImportEvent } from "../jobs/import-events";
import { type ImportConfig, importConfig } from "./import-config";
import { createImportProgress } from "./import-progress";
import { type ImportHooks, type ImportRun } from "./import-run";
import { closeOpenStages, ensureStages } from "./import-stages";
import { importOptionsSchema } from "../imports.schemas";
import { jobWithStages, toJobView } from "../jobs/job-view";
import { withRetryAdvice } from "../jobs/retry-advice";
import { checkLoadedPass, transformAndLoadStages } from "./load-stage";
import {
  ImportCancelledError,
  ImportInputError,
  ImportMemoryError,
} from "./pipeline/import-input-error";
import { isUploadComplete, removeUpload, uploadStore } from "../uploads/upload-store";
import { untilDatabaseAnswers } from "./until-database-answers";
import { assertWithinErrorRate, StageTimeoutError, validateStage } from "./validate-stage";
import { failAndDeleteRows } from "../imports.queries";

/** A running job writes progress at least this often; silent for STALE_AFTER_MS, it is stalled. */
const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 60_000;

export type RunImportJobOptions = {
  db: Database;
  cache: CacheServices;
  jobId: string;
  /** The queue's attempt number (1 on the first run). */
  attempt: number;
  config?: ImportConfig;
  hooks?: ImportHooks;
  /** Aborted at shutdown: the run stops and the job goes back to queued, to resume later. */
  stopSignal?: AbortSignal;
};

export type RunOutcome = "succeeded" | "failed" | "cancelled" | "retrying" | "skipped";

/**
 * Takes a queued job (or a stalled one: running, but silent for a minute) for this worker. Two
 * workers never run one job at once: the second finds it neither queued nor stalled.
 */
async function claim(db: Database, jobId: string): Promise<boolean> {
  const { count } = await db.prisma.importJob.updateMany({
    where: {
      id: jobId,
      OR: [
        { status: "queued" },
        { status: "running", updatedAt: { lt: new Date(Date.now() - STALE_AFTER_MS) } },
      ],
    },
    data: { status: "running", attempts: { increment: 1 }, error: null, finishedAt: null },
  });
  if (count === 0) return false;
  await db.prisma.importJob.updateMany({
    where: { id: jobId, startedAt: null },
    data: { startedAt: new Date() },
  });
  return true;
}

async function publishState(run: Pick<ImportRun, "db" | "cache">, jobId: string) {
  const job = await run.db.prisma.importJob.findUnique({
    where: { id: jobId },
    include: jobWithStages,
  });
  if (job) {
    await publishImportEvent(run.cache.pubsub, jobId, { type: "progress", job: toJobView(job) });
  }
}

/**
 * Ends a job that will not run again: its status, and the removal of its rows, in one
 * transaction fenced by this run's attempt — so a retry that starts right after sees no rows of
 * this run, and a run that a retry has superseded changes nothing.
 */
async function settle(
  run: Pick<ImportRun, "db" | "cache">,
  job: { id: string; datasetId: string; attempts: number },
  error: string,
): Promise<void> {
  const { db } = run;
  const settled = await failAndDeleteRows(db, job, error);
  if (!settled) return;
  await closeOpenStages(db, job.id, error);
  await recordCache(run.cache).invalidate([], [job.datasetId]);
  await publishState(run, job.id);
}

/**
 * After a cancel: the cancel service has already set the status and deleted the rows (no batch
 * can load after it), so the run only closes the stages it had opened since — unless a retry has
 * taken the job over meanwhile.
 */
async function closeCancelledRun(
  run: Pick<ImportRun, "db" | "cache">,
  job: { id: string; attempts: number },
): Promise<void> {
  const current = await run.db.prisma.importJob.findUnique({ where: { id: job.id } });
  if (current?.status !== "cancelled" || current.attempts !== job.attempts) return;
  await closeOpenStages(run.db, job.id, "The import was cancelled.");
  await publishState(run, job.id);
}

/** PostgreSQL's disk_full (SQLSTATE 53100): from this thread's queries or the source thread's loads. */
const isDiskFull = (error: unknown) => (error as { code?: unknown } | null)?.code === "53100";

function reasonOf(error: unknown, jobId: string): string {
  if (error instanceof StageTimeoutError) return error.message;
  if (toAppError(error).code === "database_unavailable") return "the database was unavailable";
  logger().error({ err: error, jobId }, "import run failed");
  if (error instanceof ImportMemoryError) return error.message;
  return "an internal error (logged on the server)";
}

/**
 * One run of an import job: validate the whole file, then transform and load, then check. The
 * outcome is kept on the job row; only a transient failure with attempts left throws, so that the
 * queue retries it with its backoff (a retry resumes from the validation's last checkpoint, or
 * after the last loaded line).
 */
export async function runImportJob(options: RunImportJobOptions): Promise<RunOutcome> {
  const { db, cache, jobId, attempt } = options;
  const config = options.config ?? importConfig();
  // Started while PostgreSQL is away (a queue retry): wait rather than spend an attempt.
  await untilDatabaseAnswers(db, options.stopSignal);
  if (!(await claim(db, jobId))) return "skipped";
  const job = await db.prisma.importJob.findUniqueOrThrow({
    where: { id: jobId },
    include: { dataset: true },
  });
  // Written by the upload through the same schema; parsed once here and handed to the stages.
  const importOptions = importOptionsSchema.parse(job.options);
  await ensureStages(db, jobId);

  const controller = new AbortController();
  const unsubscribe = await cache.pubsub.subscribe(importChannel(jobId), (message) => {
    if ((message as ImportEvent).type === "cancel") controller.abort();
  });
  const progress = createImportProgress({ db, pubsub: cache.pubsub, jobId });
  const heartbeat = setInterval(() => void progress.flush().catch(() => undefined), HEARTBEAT_MS);
  const run: ImportRun = {
    db,
    cache,
    config,
    options: importOptions,
    progress,
    signal: options.stopSignal
      ? AbortSignal.any([controller.signal, options.stopSignal])
      : controller.signal,
    uploadPath: uploadStore().filePath(job.uploadId),
    attempt,
    hooks: options.hooks,
  };
  const errorRate = run.options.errorRate ?? config.errorRate;

  try {
    if (!(await isUploadComplete(job.uploadId))) {
      throw new ImportInputError("The upload is missing or incomplete: upload the file again.");
    }
    const validation = await validateStage(run, job, job.dataset);
    assertWithinErrorRate(validation, errorRate);
    const { checksum, loaded } = validation.loaded
      ? await checkLoadedPass(run, job, validation.loaded)
      : await transformAndLoadStages(run, job, job.dataset, validation);
    clearInterval(heartbeat);
    const finished = await db.prisma.importJob.updateMany({
      where: { id: jobId, status: "running", attempts: job.attempts },
      data: {
        status: "succeeded",
        stage: null,
        checksum,
        rowsLoaded: loaded,
        rowsTransformed: progress.counters.rowsTransformed,
        finishedAt: new Date(),
        checkpoint: Prisma.DbNull,
      },
    });
    if (finished.count === 0) throw new ImportCancelledError();
    await recordCache(cache).invalidate([], [job.datasetId]);
    // The rows' embeddings were written with them (load transactions): searches see them now.
    const { embedding } = run.options;
    if (embedding) await afterEmbeddingsChanged({ db, cache }, [embedding.type]);
    await recordAudit(
      { prisma: db.prisma },
      {
        actor: { userId: job.ownerId, via: "session" },
        action: "import.load",
        resource: { type: "import_job", id: jobId },
        summary: { dataset: job.dataset.name, rows: loaded, rejected: validation.rejected },
      },
    );
    // Loaded and checked: the file has served its purpose (a failed job keeps it for a retry).
    await removeUpload(job.uploadId);
    await publishState(run, jobId);
    return "succeeded";
  } catch (error) {
    // No heartbeat may write the run's counters over the outcome recorded below.
    clearInterval(heartbeat);
    // The run may have failed because PostgreSQL went away: the outcome (and "queued" for the
    // retry, which resumes from the checkpoint) can only be recorded once it is back.
    await untilDatabaseAnswers(db, options.stopSignal);
    await progress.flush().catch(() => undefined);
    const current = await db.prisma.importJob.findUnique({ where: { id: jobId } });
    const superseded = current?.status !== "running" || current.attempts !== job.attempts;
    if (error instanceof ImportCancelledError || controller.signal.aborted || superseded) {
      await closeCancelledRun(run, job);
      return "cancelled";
    }
    if (options.stopSignal?.aborted) {
      // Back to the queue with its checkpoint: the next run goes on from there.
      await db.prisma.importStage.updateMany({
        where: { jobId, status: "running" },
        data: { status: "pending", startedAt: null },
      });
      await db.prisma.importJob.updateMany({
        where: { id: jobId, status: "running", attempts: job.attempts },
        data: { status: "queued", stage: null },
      });
      return "retrying";
    }
    if (error instanceof ImportInputError) {
      await settle(run, job, error.message);
      return "failed";
    }
    if (isDiskFull(error)) {
      // Retrying at once would fill the disk again: the loaded rows go (freeing what they held;
      // none was ever shown), the file stays, and the user retries once there is room.
      await settle(
        run,
        job,
        withRetryAdvice(
          "The database ran out of disk space during the import: nothing was loaded, the rows it had written were removed and the file is kept. Free space on the database's disk first.",
        ),
      );
      return "failed";
    }
    const reason = reasonOf(error, jobId);
    if (attempt < config.attempts) {
      await db.prisma.importStage.updateMany({
        where: { jobId, status: "running" },
        data: { status: "failed", error: reason, finishedAt: new Date() },
      });
      await db.prisma.importJob.updateMany({
        where: { id: jobId, status: "running", attempts: job.attempts },
        data: {
          status: "queued",
          stage: null,
          error: `Attempt ${attempt} of ${config.attempts} failed (${reason}); retrying from the last checkpoint.`,
        },
      });
      await publishState(run, jobId);
      throw error;
    }
    await settle(
      run,
      job,
      withRetryAdvice(`The import failed after ${attempt} attempts: ${reason}.`),
    );
    return "failed";
  } finally {
    clearInterval(heartbeat);
    await unsubscribe();
  }
}
