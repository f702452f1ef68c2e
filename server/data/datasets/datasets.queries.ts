import type { Prisma } from "../../db/generated/client";

// Row locks Prisma cannot express. Each runs inside the caller's transaction and holds until it ends.

/**
 * Locks a dataset row against concurrent updates and deletion, and against new records: inserting
 * a record takes a key-share lock on its dataset, which waits for this one. Returns false when
 * there is no such dataset (it was deleted after the caller looked it up).
 */
export async function lockDatasetById(
  tx: Prisma.TransactionClient,
  datasetId: string,
): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    select id from datasets where id = ${datasetId}::uuid for update`;
  return rows.length > 0;
}
