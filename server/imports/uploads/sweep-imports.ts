import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";
import { env } from "../../env";
import { publishImportEvent } from "../jobs/import-events";
import { enqueueImport } from "../run/import-queue";
import { jobWithStages, toJobView } from "../jobs/job-view";
import { STALE_AFTER_MS } from "../run/run-import-job";
import { removeUpload, uploadStore } from "./upload-store";

const EXPIRED = "The upload expired: it received no data for too long. Upload the file again.";

async function lastActivity(uploadId: string): Promise<number | undefined> {
  try {
    const upload = await uploadStore().getUpload(uploadId);
    return new Date(upload.creation_date ?? 0).getTime();
  } catch {
    return undefined;
  }
}

/**
 * Uploads idle past LAKE_IMPORT_UPLOAD_EXPIRY_SECONDS: their files are deleted and their jobs
 * fail with a readable reason (a later PATCH or HEAD answers 404). Files with no job at all —
 * left by a creation that failed half-way — go too.
 */
export async function expireIdleUploads(options: {
  db: Database;
  cache: CacheServices;
  now?: number;
}): Promise<string[]> {
  const { db, cache } = options;
  const now = options.now ?? Date.now();
  const expiryMs = env().LAKE_IMPORT_UPLOAD_EXPIRY_SECONDS * 1000;
  const candidates = await db.prisma.importJob.findMany({
    where: { status: "uploading", updatedAt: { lt: new Date(now - expiryMs) } },
    select: { id: true, uploadId: true, bytesTotal: true, bytesReceived: true },
  });
  const expired: string[] = [];
  for (const job of candidates) {
    if (job.bytesTotal !== null && job.bytesReceived >= job.bytesTotal) continue;
    const active = await lastActivity(job.uploadId);
    if (active !== undefined && now <= active + expiryMs) continue;
    await removeUpload(job.uploadId);
    const { count } = await db.prisma.importJob.updateMany({
      where: { id: job.id, status: "uploading" },
      data: { status: "failed", error: EXPIRED, finishedAt: new Date() },
    });
    if (count === 0) continue;
    expired.push(job.id);
    const view = await db.prisma.importJob.findUnique({
      where: { id: job.id },
      include: jobWithStages,
    });
    if (view)
      await publishImportEvent(cache.pubsub, job.id, { type: "progress", job: toJobView(view) });
  }
  await uploadStore().deleteIdle(now);
  return expired;
}

/**
 * Queues what should be running: jobs left queued (an in-process queue lost at a restart) and
 * running jobs whose worker fell silent (crashed). Queue job ids make this idempotent.
 */
export async function requeueStrandedImports(options: {
  db: Database;
  cache: CacheServices;
  now?: number;
}): Promise<number> {
  const now = options.now ?? Date.now();
  const jobs = await options.db.prisma.importJob.findMany({
    where: {
      OR: [
        { status: "queued" },
        { status: "running", updatedAt: { lt: new Date(now - STALE_AFTER_MS) } },
      ],
    },
    select: { id: true, attempts: true, status: true, updatedAt: true },
  });
  for (const job of jobs) {
    const suffix = job.status === "running" ? `.s${job.updatedAt.getTime()}` : "";
    await enqueueImport(job, { services: options.cache, suffix });
  }
  return jobs.length;
}
