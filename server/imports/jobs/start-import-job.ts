import { authorize } from "../../auth/authorize";
import { AppError } from "../../errors/app-error";
import { publishImportEvent } from "./import-events";
import { enqueueImport } from "../run/import-queue";
import { type ImportJobView } from "../imports.schemas";
import { jobWithStages, toJobView } from "./job-view";
import { isUploadComplete } from "../uploads/upload-store";
import { type ServiceContext } from "../../service-context";

/**
 * Queues the import of an upload that is complete: one created with `start=manual`, or one whose
 * automatic start was lost. Idempotent while the job is queued (the same queue job id).
 */
export async function startImportJob(
  options: ServiceContext & { uploadId: string },
): Promise<ImportJobView> {
  const { db, cache, principal } = options;
  authorize(principal, "write");
  const job = await db.prisma.importJob.findUnique({ where: { uploadId: options.uploadId } });
  if (!job || job.ownerId !== principal.userId) {
    throw new AppError("not_found", "The upload was not found.");
  }
  if (job.status === "failed" || job.status === "cancelled") {
    throw new AppError("conflict", `The import has ${job.status}; retry it instead.`, {
      status: job.status,
    });
  }
  if (job.status === "running" || job.status === "succeeded") {
    throw new AppError("conflict", `The import is already ${job.status}.`, { status: job.status });
  }
  if (!(await isUploadComplete(job.uploadId))) {
    throw new AppError("conflict", "The upload is not complete yet: finish it first.");
  }
  await db.prisma.importJob.updateMany({
    where: { id: job.id, status: "uploading" },
    data: { status: "queued", bytesReceived: job.bytesTotal ?? job.bytesReceived },
  });
  await enqueueImport(job, { services: cache });
  const updated = await db.prisma.importJob.findUniqueOrThrow({
    where: { id: job.id },
    include: jobWithStages,
  });
  const view = toJobView(updated);
  await publishImportEvent(cache.pubsub, job.id, { type: "progress", job: view });
  return view;
}
