import { recordAuditMany } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { assertRecordAccess } from "../../auth/resource-policy";
import { publishedSql } from "../../data/records/published-records";
import { Prisma } from "../../db/generated/client";
import { type ResourcePolicy } from "../../db/generated/enums";
import { inTransaction } from "../../db/transaction";
import { AppError } from "../../errors/app-error";
import { type EmbeddingInput } from "./embeddings.queries";
import { afterEmbeddingsChanged, writeEmbeddings } from "./write-embeddings";
import { type ServiceContext } from "../../service-context";

const PUBLISHED = Prisma.raw(publishedSql("r"));

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
    const records = await tx.$queryRaw<
      { id: string; ownerId: string; datasetId: string; policy: ResourcePolicy }[]
    >`
      SELECT r.id, r.owner_id AS "ownerId", r.dataset_id AS "datasetId", d.policy::text AS policy
        FROM records r JOIN datasets d ON d.id = r.dataset_id
       WHERE r.id = ANY(${recordIds}::uuid[]) AND ${PUBLISHED}`;
    const byId = new Map(records.map((record) => [record.id, record]));
    items.forEach((item, index) => {
      const record = byId.get(item.recordId);
      try {
        if (!record) throw new AppError("not_found", "The record was not found.");
        assertRecordAccess(principal, record.policy, "write", record);
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
