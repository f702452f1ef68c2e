import { isAdmin, type Principal } from "../../auth/principal";
import type { Dataset, Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";

/**
 * Changing or deleting a dataset is for its owner and administrators. Every reader can see every
 * dataset, so another user's dataset is "forbidden" here: answering "not found" would be a lie.
 */
export function assertDatasetManager(
  principal: Principal,
  dataset: Pick<Dataset, "ownerId">,
): void {
  if (dataset.ownerId === principal.userId || isAdmin(principal)) return;
  throw new AppError("forbidden", "Only the dataset's owner or an administrator can change it.");
}

/**
 * A dataset's owner manages it, but other users' records in it are theirs: only an administrator
 * may do what reaches them — loosen the policy (user_data → analytics exposes them) or delete
 * the dataset with them in it.
 */
export async function assertMayTouchOthersRecords(
  db: Pick<Prisma.TransactionClient, "record">,
  principal: Principal,
  dataset: Pick<Dataset, "id">,
  what: string,
): Promise<void> {
  if (isAdmin(principal)) return;
  const others = await db.record.count({
    where: { datasetId: dataset.id, ownerId: { not: principal.userId } },
  });
  if (others > 0) {
    throw new AppError(
      "forbidden",
      `Only an administrator can ${what}: the dataset holds other users' records.`,
      {
        other_owners_records: others,
      },
    );
  }
}
