import type { Prisma } from "../../db/generated/client";
import { type ImportJobView } from "../imports.schemas";
import { readCheckpoint } from "../run/checkpoint";
import { jobRates, type JobRates } from "./job-rates";
import { isRetryable } from "./retry-advice";

export const jobWithStages = { stages: true } satisfies Prisma.ImportJobInclude;
export type JobWithStages = Prisma.ImportJobGetPayload<{ include: typeof jobWithStages }>;

const STAGE_ORDER = ["validate", "transform", "load"] as const;

const iso = (date: Date | null) => date?.toISOString() ?? null;
const int = (value: bigint | null) => (value === null ? null : Number(value));

/** The running stage's rates and ETA (job-rates.ts); all null when no stage runs. */
function rate(job: JobWithStages, now: number, bytesRead?: number): JobRates {
  const stage = job.stages.find((s) => s.name === job.stage);
  if (job.status !== "running" || !stage?.startedAt) {
    return { rowsPerSecond: null, bytesPerSecond: null, etaSeconds: null };
  }
  return jobRates({
    stage: stage.name,
    seconds: (now - stage.startedAt.getTime()) / 1000,
    rows: Number(
      stage.name === "validate"
        ? job.rowsValidated
        : stage.name === "transform"
          ? job.rowsTransformed
          : job.rowsLoaded,
    ),
    rowsTotal: Number(job.rowsAccepted),
    bytesRead,
    bytesTotal: int(job.bytesTotal),
  });
}

/**
 * The job as the API shows it. `bytesRead` is the running validation's position as its worker
 * knows it; without it (a client polling), the last checkpoint's position stands in.
 */
export function toJobView(
  job: JobWithStages,
  options: { now?: number; bytesRead?: number } = {},
): ImportJobView {
  const validating = job.status === "running" && job.stage === "validate";
  const bytesRead = options.bytesRead ?? (validating ? readCheckpoint(job)?.fileBytes : undefined);
  const rates = rate(job, options.now ?? Date.now(), bytesRead);
  const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
  return {
    id: job.id,
    upload_id: job.uploadId,
    dataset_id: job.datasetId,
    owner_id: job.ownerId,
    filename: job.filename,
    format: job.format,
    status: job.status,
    stage: job.stage,
    bytes_total: int(job.bytesTotal),
    bytes_received: Number(job.bytesReceived),
    upload_complete: job.bytesTotal !== null && job.bytesReceived >= job.bytesTotal,
    rows_validated: Number(job.rowsValidated),
    rows_transformed: Number(job.rowsTransformed),
    rows_accepted: Number(job.rowsAccepted),
    rows_rejected: Number(job.rowsRejected),
    rows_loaded: Number(job.rowsLoaded),
    attempts: job.attempts,
    error: job.error,
    throughput_rows_per_second: round(rates.rowsPerSecond),
    bytes_per_second: round(rates.bytesPerSecond),
    eta_seconds: round(rates.etaSeconds),
    bytes_read: validating && bytesRead !== undefined ? bytesRead : null,
    retryable: isRetryable(job),
    stages: [...job.stages]
      .sort((a, b) => STAGE_ORDER.indexOf(a.name) - STAGE_ORDER.indexOf(b.name))
      .map((stage) => ({
        name: stage.name,
        status: stage.status,
        attempts: stage.attempts,
        rows_in: Number(stage.rowsIn),
        rows_out: Number(stage.rowsOut),
        error: stage.error,
        started_at: iso(stage.startedAt),
        finished_at: iso(stage.finishedAt),
      })),
    created_at: job.createdAt.toISOString(),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
  };
}
