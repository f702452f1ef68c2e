import { recordAudit } from "../../audit/record-audit";
import { Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { publishImportEvent } from "./import-events";
import { enqueueImport } from "../run/import-queue";
import { resetStages } from "../run/import-stages";
import { type ImportJobView } from "../imports.schemas";
import { loadAccessibleJob } from "./job-access";
import { jobWithStages, toJobView } from "./job-view";
import { isUploadComplete } from "../uploads/upload-store";
import { type ServiceContext } from "../../service-context";

/**
 * Runs a failed or cancelled import again from its upload (kept for exactly this), from the
 * start: validation, then loading. Nothing of the earlier run remains (failure and cancel delete
 * its rows), so exactly-once holds as for a first run.
 */
export async function retryImportJob(
  options: ServiceContext & { id: string },
): Promise<ImportJobView> {
  const { db, cache, principal } = options;
  const job = await loadAccessibleJob({ db, principal, id: options.id, permission: "write" });
  if (job.status !== "failed" && job.status !== "cancelled") {
    throw new AppError(
      "conflict",
      `Only a failed or cancelled import can be retried; this one is ${job.status}.`,
      {
        status: job.status,
      },
    );
  }
  if (!(await isUploadComplete(job.uploadId))) {
    throw new AppError("conflict", "The uploaded file is no longer available: upload it again.");
  }
  const { count } = await db.prisma.importJob.updateMany({
    where: { id: job.id, status: { in: ["failed", "cancelled"] } },
    data: {
      status: "queued",
      stage: null,
      error: null,
      finishedAt: null,
      rowsValidated: 0,
      rowsTransformed: 0,
      rowsAccepted: 0,
      rowsRejected: 0,
      rowsLoaded: 0,
      checksum: null,
      // From the first row: the earlier run's rows went with its failure or cancel.
      checkpoint: Prisma.DbNull,
    },
  });
  if (count === 0) throw new AppError("conflict", "The import changed while it was being retried.");
  await resetStages(db, job.id);
  await db.prisma.importRowError.deleteMany({ where: { jobId: job.id } });
  // A retry is a new run even when the attempt count is unchanged (a job cancelled while queued).
  await enqueueImport(job, { services: cache, suffix: `.r${Date.now()}` });
  await recordAudit(db, {
    actor: principal,
    action: "import.retry",
    resource: { type: "import_job", id: job.id },
    summary: { previous_status: job.status },
    ip: options.ip,
    requestId: options.requestId,
  });
  const updated = await db.prisma.importJob.findUniqueOrThrow({
    where: { id: job.id },
    include: jobWithStages,
  });
  const view = toJobView(updated);
  await publishImportEvent(cache.pubsub, job.id, { type: "progress", job: view });
  return view;
}
