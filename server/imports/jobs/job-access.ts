import { authorize } from "../../auth/authorize";
import { isAdmin, type Permission, type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { jobWithStages, type JobWithStages } from "./job-view";

/**
 * An import job as `principal` may see it: its owner's, or any for an administrator. Someone
 * else's job is "not found", like a missing one, so its existence does not leak.
 */
export async function loadAccessibleJob(options: {
  db: Database;
  principal: Principal;
  id: string;
  permission: Permission;
}): Promise<JobWithStages> {
  authorize(options.principal, options.permission);
  const job = await options.db.prisma.importJob.findUnique({
    where: { id: options.id },
    include: jobWithStages,
  });
  if (!job || (job.ownerId !== options.principal.userId && !isAdmin(options.principal))) {
    throw new AppError("not_found", "The import job was not found.");
  }
  return job;
}
