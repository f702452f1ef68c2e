import { recordAudit } from "../../audit/record-audit";
import { recordCache } from "../../data/records/record-cache";
import { AppError } from "../../errors/app-error";
import { isTerminal, publishImportEvent } from "./import-events";
import { closeOpenStages } from "../run/import-stages";
import { cancelAndDeleteRows } from "../imports.queries";
import { type ImportJobView } from "../imports.schemas";
import { loadAccessibleJob } from "./job-access";
import { toJobView } from "./job-view";
import { removeUpload } from "../uploads/upload-store";
import { type ServiceContext } from "../../service-context";

/**
 * Cancels an import wherever it is: the status and the deletion of the rows already loaded commit
 * together (cancelAndDeleteRows), after any load transaction in flight, and every later one sees
 * the cancel and loads nothing. Done here, so that a job whose worker died is cleaned up too; the
 * worker, told through pub/sub, stops. An upload still in flight is terminated; a complete one is
 * kept for a retry.
 */
export async function cancelImportJob(
  options: ServiceContext & { id: string },
): Promise<ImportJobView> {
  const { db, cache, principal } = options;
  const job = await loadAccessibleJob({ db, principal, id: options.id, permission: "write" });
  if (isTerminal(job.status)) {
    throw new AppError("conflict", `The import has already ${job.status}.`, { status: job.status });
  }
  const removed = await cancelAndDeleteRows(db, job.id);
  if (removed === null) {
    throw new AppError("conflict", "The import finished while it was being cancelled.");
  }
  await publishImportEvent(cache.pubsub, job.id, { type: "cancel" });
  if (job.status === "uploading") await removeUpload(job.uploadId);
  await closeOpenStages(db, job.id, "The import was cancelled.");
  const updated = await db.prisma.importJob.update({
    where: { id: job.id },
    data: { stage: null, rowsLoaded: 0 },
    include: { stages: true },
  });
  if (removed > 0) await recordCache(cache).invalidate([], [job.datasetId]);
  await recordAudit(db, {
    actor: principal,
    action: "import.cancel",
    resource: { type: "import_job", id: job.id },
    summary: { previous_status: job.status, rows_removed: removed },
    ip: options.ip,
    requestId: options.requestId,
  });
  const view = toJobView(updated);
  await publishImportEvent(cache.pubsub, job.id, { type: "progress", job: view });
  return view;
}
