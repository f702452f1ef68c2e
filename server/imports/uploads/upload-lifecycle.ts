import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";
import { publishImportEvent } from "../jobs/import-events";
import { enqueueImport } from "../run/import-queue";
import { importOptionsSchema } from "../imports.schemas";
import { jobWithStages, toJobView } from "../jobs/job-view";

async function publish(db: Database, cache: CacheServices, uploadId: string) {
  const job = await db.prisma.importJob.findUnique({ where: { uploadId }, include: jobWithStages });
  if (job)
    await publishImportEvent(cache.pubsub, job.id, { type: "progress", job: toJobView(job) });
}

/** Bytes received so far (after each chunk, and every second within a long one). */
export async function recordUploadOffset(
  db: Database,
  cache: CacheServices,
  uploadId: string,
  offset: number,
): Promise<void> {
  const { count } = await db.prisma.importJob.updateMany({
    where: { uploadId, status: "uploading", bytesReceived: { lt: offset } },
    data: { bytesReceived: offset },
  });
  if (count > 0) await publish(db, cache, uploadId);
}

/** The last byte arrived: the job is queued, unless it was created to be started by hand. */
export async function finishUpload(
  db: Database,
  cache: CacheServices,
  upload: { id: string; size: number },
): Promise<void> {
  const job = await db.prisma.importJob.findUnique({ where: { uploadId: upload.id } });
  if (!job || job.status !== "uploading") return;
  const manual = importOptionsSchema.parse(job.options).start === "manual";
  await db.prisma.importJob.update({
    where: { id: job.id },
    data: {
      bytesReceived: upload.size,
      bytesTotal: upload.size,
      ...(manual ? {} : { status: "queued" }),
    },
  });
  if (!manual) await enqueueImport(job, { services: cache });
  await publish(db, cache, upload.id);
}

/** tus termination (DELETE) of an upload in flight: its job is cancelled. */
export async function terminateUpload(
  db: Database,
  cache: CacheServices,
  uploadId: string,
): Promise<void> {
  await db.prisma.importJob.updateMany({
    where: { uploadId, status: "uploading" },
    data: { status: "cancelled", error: "The upload was terminated.", finishedAt: new Date() },
  });
  await publish(db, cache, uploadId);
}
