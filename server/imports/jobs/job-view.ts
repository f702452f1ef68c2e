import type { Prisma } from "../../db/generated/client";
import { type ImportJobView } from "../imports.schemas";

export const jobWithStages = { stages: true } satisfies Prisma.ImportJobInclude;
export type JobWithStages = Prisma.ImportJobGetPayload<{ include: typeof jobWithStages }>;

const STAGE_ORDER = ["validate", "transform", "load"] as const;

const iso = (date: Date | null) => date?.toISOString() ?? null;
const int = (value: bigint | null) => (value === null ? null : Number(value));

/**
 * Rows per second of the stage running now, and seconds left. Loading knows its total (the rows
 * validation accepted); validation does not know the file's row count, so its ETA comes from the
 * share of the file read so far — which only the running worker knows, hence `bytesRead`.
 */
function rate(job: JobWithStages, now: number, bytesRead?: number) {
  const stage = job.stages.find((s) => s.name === job.stage);
  if (job.status !== "running" || !stage?.startedAt) return { throughput: null, eta: null };
  const seconds = Math.max(0.001, (now - stage.startedAt.getTime()) / 1000);
  const done =
    stage.name === "validate"
      ? Number(job.rowsValidated)
      : stage.name === "transform"
        ? Number(job.rowsTransformed)
        : Number(job.rowsLoaded);
  const throughput = done / seconds;
  if (throughput <= 0) return { throughput: 0, eta: null };
  if (stage.name === "validate") {
    const total = Number(job.bytesTotal ?? 0);
    if (!bytesRead || !total) return { throughput, eta: null };
    return { throughput, eta: Math.max(0, (seconds * (total - bytesRead)) / bytesRead) };
  }
  const left = Number(job.rowsAccepted) - done;
  return { throughput, eta: Math.max(0, left / throughput) };
}

/** The job as the API shows it; `bytesRead` is the running validation's position, when known. */
export function toJobView(
  job: JobWithStages,
  options: { now?: number; bytesRead?: number } = {},
): ImportJobView {
  const { throughput, eta } = rate(job, options.now ?? Date.now(), options.bytesRead);
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
    throughput_rows_per_second: round(throughput),
    eta_seconds: round(eta),
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
