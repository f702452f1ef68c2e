import { inTransaction } from "../../db/transaction";
import { recordAudit } from "../../audit/record-audit";
import { Prisma } from "../../db/generated/client";
import { recordChanges } from "./record-changes";
import { AppError } from "../../errors/app-error";
import { assertIfMatch } from "./etag";
import { loadAccessibleRecord } from "./record-access";
import { recordCache } from "./record-cache";
import { type ServiceContext } from "../../service-context";
import { type DbClient } from "../../db/transaction";

/** DELETE: needs the delete permission; honours If-Match like PUT. */
export async function deleteRecord(
  options: ServiceContext<DbClient> & { id: string; ifMatch?: string },
): Promise<{ datasetId: string }> {
  const { db, principal } = options;
  const current = await loadAccessibleRecord({
    db,
    principal,
    id: options.id,
    permission: "delete",
  });
  assertIfMatch(options.ifMatch, current);
  await inTransaction(db, async (tx) => {
    // With If-Match, delete only the version that was checked; without, whatever is there.
    const where =
      options.ifMatch === undefined
        ? { id: current.id }
        : { id: current.id, updatedAt: current.updatedAt };
    const { count } = await tx.record.deleteMany({ where });
    if (count === 0)
      throw new AppError("precondition_failed", "The record changed while it was being deleted.");
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "record.delete",
        resource: { type: "record", id: current.id },
        summary: { dataset_id: current.datasetId, keys: Object.keys(current.payload as object) },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    await recordChanges(
      { prisma: tx },
      "delete",
      current.dataset,
      Prisma.sql`(SELECT ${current.id}::uuid AS id, ${current.ownerId}::uuid AS owner_id, NULL::jsonb AS payload)`,
    );
  });
  await recordCache(options.cache).invalidate([current.id], [current.datasetId]);
  return { datasetId: current.datasetId };
}
