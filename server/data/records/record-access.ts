import { authorize } from "../../auth/authorize";
import { assertRecordAccess } from "../../auth/resource-policy";
import { type Permission, type Principal } from "../../auth/principal";
import { type DbClient } from "../../db/transaction";
import { type Dataset } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { selectRecordVersions, selectRecordWithDataset } from "./records.queries";
import { type RecordViewRow } from "./records.schemas";

export type AccessibleRecord = RecordViewRow & {
  dataset: Pick<Dataset, "id" | "policy" | "jsonSchema" | "updatedAt">;
};

/**
 * One record as `principal` may see it for `permission`: the role permission is checked first
 * (403), then the dataset's policy — another owner's user_data record is a 404, like a missing one.
 * Pass a transaction client to read it inside a write. One plain statement: every read by id and
 * every write by id starts here.
 */
export async function loadAccessibleRecord(options: {
  db: DbClient;
  principal: Principal;
  id: string;
  permission: Permission;
}): Promise<AccessibleRecord> {
  authorize(options.principal, options.permission);
  const row = await selectRecordWithDataset(options.db, options.id);
  if (!row) throw new AppError("not_found", "The record was not found.");
  const { datasetPolicy, datasetJsonSchema, datasetUpdatedAt, ...record } = row;
  const dataset = {
    id: record.datasetId,
    policy: datasetPolicy,
    jsonSchema: datasetJsonSchema,
    updatedAt: datasetUpdatedAt,
  };
  assertRecordAccess(options.principal, dataset.policy, options.permission, record);
  return { ...record, dataset };
}

/**
 * Whether the record and its dataset (policy, schema) are still as `seen`: read again after a
 * cache fill to catch a write that landed between the read and the version it was filed under.
 */
export async function isRecordUnchanged(db: DbClient, seen: AccessibleRecord): Promise<boolean> {
  const row = await selectRecordVersions(db, seen.id);
  return (
    row !== undefined &&
    row.updatedAt.getTime() === seen.updatedAt.getTime() &&
    row.datasetUpdatedAt.getTime() === seen.dataset.updatedAt.getTime()
  );
}
