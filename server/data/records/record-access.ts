import { authorize } from "../../auth/authorize";
import { assertRecordAccess } from "../../auth/resource-policy";
import { type Permission, type Principal } from "../../auth/principal";
import { type DbClient } from "../../db/transaction";
import { Prisma, type Dataset } from "../../db/generated/client";
import { AppError } from "../../http/app-error";
import { queryRows } from "./query-rows";
import { type RecordViewRow } from "./records.schemas";

export type AccessibleRecord = RecordViewRow & {
  dataset: Pick<Dataset, "id" | "policy" | "jsonSchema" | "updatedAt">;
};

type AccessRow = RecordViewRow & {
  datasetPolicy: Dataset["policy"];
  datasetJsonSchema: Dataset["jsonSchema"];
  datasetUpdatedAt: Date;
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
  const [row] = await queryRows<AccessRow>(
    options.db,
    "lake_load_accessible_record",
    Prisma.sql`
      SELECT r.id, r.dataset_id AS "datasetId", r.owner_id AS "ownerId", r.payload, r.archived,
        r.archived_at AS "archivedAt", r.created_at AS "createdAt", r.updated_at AS "updatedAt",
        d.policy::text AS "datasetPolicy", d.json_schema AS "datasetJsonSchema",
        d.updated_at AS "datasetUpdatedAt"
      FROM records r JOIN datasets d ON d.id = r.dataset_id
      WHERE r.id = ${options.id}::uuid`,
  );
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
  const [row] = await queryRows<{ updatedAt: Date; datasetUpdatedAt: Date }>(
    db,
    "lake_record_versions",
    Prisma.sql`
      SELECT r.updated_at AS "updatedAt", d.updated_at AS "datasetUpdatedAt"
      FROM records r JOIN datasets d ON d.id = r.dataset_id
      WHERE r.id = ${seen.id}::uuid`,
  );
  return (
    row !== undefined &&
    row.updatedAt.getTime() === seen.updatedAt.getTime() &&
    row.datasetUpdatedAt.getTime() === seen.dataset.updatedAt.getTime()
  );
}
