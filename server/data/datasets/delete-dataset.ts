import { recordAudit } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { assertDatasetManager, assertMayTouchOthersRecords } from "./dataset-policy";
import { deleteDatasetInputSchema, datasetSummary } from "./datasets.schemas";
import { lockDatasetById } from "./datasets.queries";
import { findDataset } from "./find-dataset";
import { type ServiceContext } from "../../service-context";
import { invalidateDataset } from "./invalidate-dataset";
import { requestPayloadIndexUpkeep } from "./payload-index-upkeep";

export type DeleteDatasetOptions = ServiceContext & {
  /** The dataset's id or name. */
  datasetRef: string;
  /**
   * Delete even when the dataset has records: all of them go with it, archived ones and other
   * users' included, and so do its imports. Without it, a dataset with records is a conflict.
   */
  force?: boolean;
};

export type DeletedDataset = {
  id: string;
  name: string;
  /** Every record deleted with the dataset, archived ones included. */
  deleted_records: number;
};

/** Deletes a dataset, and with `force` its records. */
export async function deleteDataset(options: DeleteDatasetOptions): Promise<DeletedDataset> {
  const { db, principal } = options;
  authorize(principal, "delete");
  const parsed = deleteDatasetInputSchema.safeParse({ force: options.force });
  if (!parsed.success) throw toAppError(parsed.error);
  const { force } = parsed.data;
  const found = await findDataset(db, options.datasetRef);
  assertDatasetManager(principal, found);

  const result = await db.prisma.$transaction(async (tx) => {
    // The lock waits for records being inserted concurrently and blocks new ones, so the count
    // below is exactly what the delete removes.
    if (!(await lockDatasetById(tx, found.id))) {
      throw new AppError("not_found", `Dataset "${options.datasetRef}" was not found.`);
    }
    const dataset = await tx.dataset.findUniqueOrThrow({ where: { id: found.id } });
    const recordCount = await tx.record.count({ where: { datasetId: dataset.id } });
    if (recordCount > 0 && !force) {
      throw new AppError("conflict", "The dataset has records; pass force to delete them too.", {
        record_count: recordCount,
      });
    }

    if (recordCount > 0) await assertMayTouchOthersRecords(tx, principal, dataset, "delete it");
    // Records and imports go with the dataset (ON DELETE CASCADE).
    await tx.dataset.delete({ where: { id: dataset.id } });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "dataset.delete",
        resource: { type: "dataset", id: dataset.id },
        summary: { before: datasetSummary(dataset), forced: force, deletedRecords: recordCount },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return { id: dataset.id, name: dataset.name, deleted_records: recordCount };
  });
  await invalidateDataset(options.cache, result.id);
  // Its payload index, if it had one, goes too (an empty one by now: its rows went with it).
  void requestPayloadIndexUpkeep(options);
  return result;
}
