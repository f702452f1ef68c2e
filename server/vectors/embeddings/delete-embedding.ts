import { recordAudit } from "../../audit/record-audit";
import { type VectorType } from "../../db/generated/enums";
import { inTransaction } from "../../db/transaction";
import { loadAccessibleRecord } from "../../data/records/record-access";
import { AppError } from "../../errors/app-error";
import { deleteEmbeddingRow } from "./embeddings.queries";
import { afterEmbeddingsChanged } from "./write-embeddings";
import { type ServiceContext } from "../../service-context";

/**
 * Removes one embedding. It is part of the record's data, so this needs the permission to write
 * the record (not to delete it) under the dataset's policy; 404 when there is none of that type.
 */
export async function deleteEmbedding(
  options: ServiceContext & { recordId: string; type: VectorType },
): Promise<void> {
  const { db, principal, recordId, type } = options;
  const record = await loadAccessibleRecord({ db, principal, id: recordId, permission: "write" });
  await inTransaction(db, async (tx) => {
    const removed = await deleteEmbeddingRow({ prisma: tx }, recordId, type);
    if (removed === 0) throw new AppError("not_found", `The record has no ${type} embedding.`);
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "embedding.delete",
        resource: { type: "record", id: recordId },
        summary: { type, dataset_id: record.datasetId },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
  });
  await afterEmbeddingsChanged(options, [type]);
}
