import { localMemo } from "../../cache/local-memo";
import { type DbClient } from "../../db/transaction";
import type { Dataset } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { isUuid } from "../../input/uuid";

/** A dataset by id or by name (API consumers use either); 404 when neither matches. */
export async function findDataset(db: DbClient, ref: string): Promise<Dataset> {
  const dataset = await db.prisma.dataset.findFirst({
    where: isUuid(ref) ? { OR: [{ id: ref }, { name: ref }] } : { name: ref },
  });
  if (!dataset) throw new AppError("not_found", `Dataset "${ref}" was not found.`);
  return dataset;
}

/**
 * Datasets by reference, kept in the process: every record read and write needs its dataset, and
 * datasets change rarely. update-dataset and delete-dataset invalidate it after they commit.
 */
const datasets = () => localMemo<Dataset>({ name: "datasets", ttlMs: 30_000 });

export const invalidateDatasetMemo = () => datasets().invalidate();

/**
 * findDataset for the hot paths (record reads and creates), served from memory when it can be.
 * Inside a transaction it reads through the transaction, like findDataset.
 */
export async function findDatasetCached(db: DbClient, ref: string): Promise<Dataset> {
  if (!("$transaction" in db.prisma)) return findDataset(db, ref);
  const dataset = await datasets().get(db.prisma, ref, () =>
    findDataset(db, ref).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") return null;
      throw error;
    }),
  );
  if (!dataset) throw new AppError("not_found", `Dataset "${ref}" was not found.`);
  return dataset;
}
