import { authorize } from "../../auth/authorize";
import { isAdmin, type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { type ImportJobView } from "../imports.schemas";
import { jobWithStages, toJobView } from "../jobs/job-view";

/**
 * The job of a tus upload, by the upload's id. A tus client learns only the upload's URL from
 * the creation response, so this is how the console follows a file from bytes to rows. Someone
 * else's upload is "not found", as for job ids (job-access.ts).
 */
export async function getUploadJob(options: {
  db: Database;
  principal: Principal;
  uploadId: string;
}): Promise<ImportJobView> {
  const { db, principal, uploadId } = options;
  authorize(principal, "read");
  const job = await db.prisma.importJob.findUnique({ where: { uploadId }, include: jobWithStages });
  if (!job || (job.ownerId !== principal.userId && !isAdmin(principal))) {
    throw new AppError("not_found", "No import job belongs to this upload.");
  }
  return toJobView(job);
}
