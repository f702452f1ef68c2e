import { authorize } from "../../auth/authorize";
import { assertRecordAccess } from "../../auth/resource-policy";
import { type Permission, type Principal } from "../../auth/principal";
import { type DbClient } from "../../db/transaction";
import type { Prisma } from "../../db/generated/client";
import { AppError } from "../../http/app-error";
import { recordViewSelect } from "./records.schemas";

const select = {
  ...recordViewSelect,
  dataset: { select: { id: true, policy: true, jsonSchema: true, updatedAt: true } },
};

export type AccessibleRecord = Prisma.RecordGetPayload<{ select: typeof select }>;

/**
 * One record as `principal` may see it for `permission`: the role permission is checked first
 * (403), then the dataset's policy — another owner's user_data record is a 404, like a missing one.
 * Pass a transaction client to read it inside a write.
 */
export async function loadAccessibleRecord(options: {
  db: DbClient;
  principal: Principal;
  id: string;
  permission: Permission;
}): Promise<AccessibleRecord> {
  authorize(options.principal, options.permission);
  const record = await options.db.prisma.record.findUnique({
    relationLoadStrategy: "join",
    where: { id: options.id },
    select,
  });
  if (!record) throw new AppError("not_found", "The record was not found.");
  assertRecordAccess(options.principal, record.dataset.policy, options.permission, record);
  return record;
}
