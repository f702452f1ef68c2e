import { recordAuditMany } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { assertRecordAccess } from "../../auth/resource-policy";
import { inTransaction } from "../../db/transaction";
import { AppError } from "../../errors/app-error";
import { type EmbeddingInput } from "./embeddings.queries";
import { afterEmbeddingsChanged, writeEmbeddings } from "./write-embeddings";
import { type ServiceContext } from "../../service-context";

/**
 * Writes embeddings onto records the caller may write, all or nothing: the write permission
 * first (403), then each record's dataset policy — another owner's user_data record is a 404
 * naming the item's index, exactly like a missing one. One audit entry per embedding.
 */
export async function upsertEmbeddings(
  options: ServiceContext & { items: readonly EmbeddingInput[] },
): Promise<{ count: number }> {
  const { db, principal, items } = options;
  authorize(principal, "write");
  const recordIds = [...new Set(items.map((item) => item.recordId))];

  await inTransaction(db, async (tx) => {
    const records = await tx.record.findMany({
      where: { id: { in: recordIds } },
      select: { id: true, ownerId: true, datasetId: true, dataset: { select: { policy: true } } },
    });
    const byId = new Map(records.map((record) => [record.id, record]));
    items.forEach((item, index) => {
      const record = byId.get(item.recordId);
      try {
        if (!record) throw new AppError("not_found", "The record was not found.");
        assertRecordAccess(principal, record.dataset.policy, "write", record);
      } catch (error) {
        if (!(error instanceof AppError) || items.length === 1) throw error;
        throw new AppError(error.code, `Embedding ${index}: ${error.message}`, {
          index,
          record_id: item.recordId,
        });
      }
    });
    await writeEmbeddings({ prisma: tx }, items);
    await recordAuditMany(
      { prisma: tx },
      items.map((item) => ({
        actor: principal,
        action: "embedding.write",
        resource: { type: "record", id: item.recordId },
        summary: {
          type: item.type,
          model: item.model,
          dataset_id: byId.get(item.recordId)!.datasetId,
        },
        ip: options.ip,
        requestId: options.requestId,
      })),
    );
  });
  await afterEmbeddingsChanged(options, [...new Set(items.map((item) => item.type))]);
  return { count: items.length };
}
