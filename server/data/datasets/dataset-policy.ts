import { isAdmin, type Principal } from "../../auth/principal";
import type { Dataset } from "../../db/generated/client";
import { AppError } from "../../http/app-error";

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
