import { z } from "zod";

import { authorize } from "../../auth/authorize";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { assertMayReadUserData } from "../../users/user-profiles";
import { MAX_BATCH_OPERATIONS, type BatchOperation } from "./batch.schemas";
import { getRecord } from "./get-record";
import { changePayload } from "./payload-paths";
import { payloadSchema, recordIdSchema, type RecordView } from "./records.schemas";
import { runBatch } from "./run-batch";

export const userDataChangesSchema = z
  .object({
    create: z
      .array(z.object({ dataset: z.string().min(1).max(200), payload: payloadSchema }).strict())
      .optional()
      .describe("New records, owned by the caller."),
    update: z
      .array(
        z
          .object({
            id: recordIdSchema,
            set: z
              .record(z.string(), z.unknown())
              .optional()
              .describe('Payload paths and their new values, e.g. { "address.city": "Oslo" }.'),
            unset: z.array(z.string()).optional().describe("Payload paths to remove."),
            if_match: z
              .string()
              .optional()
              .describe("The record's ETag, for a conditional change."),
          })
          .strict(),
      )
      .optional(),
    delete: z
      .array(z.object({ id: recordIdSchema, if_match: z.string().optional() }).strict())
      .optional(),
  })
  .strict()
  .refine(
    (changes) => {
      const count =
        (changes.create?.length ?? 0) +
        (changes.update?.length ?? 0) +
        (changes.delete?.length ?? 0);
      return count >= 1 && count <= MAX_BATCH_OPERATIONS;
    },
    { message: `Between 1 and ${MAX_BATCH_OPERATIONS} changes in all.` },
  );
export type UserDataChanges = z.infer<typeof userDataChangesSchema>;

/**
 * Field-level changes to one user's records, all or none: payload paths set and unset, records
 * created and deleted — as one atomic batch (runBatch), so every change is checked, written and
 * audited by the single-record services. A user changes their own data; an admin anyone's (an
 * admin's creations are their own: a record's owner is who created it). A path change reads the
 * record and writes it back under its ETag, so a concurrent write makes the whole change a 412
 * rather than being overwritten.
 */
export async function updateUserData(
  options: ServiceContext & { userId: string; changes: unknown },
): Promise<{ created: RecordView[]; updated: RecordView[]; deleted: string[] }> {
  const { principal, userId } = options;
  assertMayReadUserData(principal, userId);
  authorize(principal, "write");
  const parsed = userDataChangesSchema.safeParse(options.changes);
  if (!parsed.success) throw toAppError(parsed.error);
  const changes = parsed.data;
  if ((changes.create?.length ?? 0) > 0 && userId !== principal.userId) {
    throw new AppError(
      "forbidden",
      "Records are created under their creator's name: create your own.",
    );
  }

  const ownRecord = async (id: string) => {
    const found = await getRecord({ ...options, id });
    if (found.record.owner_id !== userId) {
      throw new AppError("not_found", "No such record of this user.", { id, user_id: userId });
    }
    return found;
  };
  const operations: BatchOperation[] = [
    ...(changes.create ?? []).map((create) => ({ op: "create" as const, ...create })),
  ];
  for (const change of changes.update ?? []) {
    const { record, etag } = await ownRecord(change.id);
    if (change.if_match !== undefined && change.if_match !== etag) {
      throw new AppError("precondition_failed", "The record changed since that ETag.", {
        id: change.id,
        etag,
      });
    }
    const payload = changePayload(record.payload, change);
    operations.push({ op: "update", id: change.id, payload, if_match: etag });
  }
  for (const removal of changes.delete ?? []) {
    await ownRecord(removal.id);
    operations.push({ op: "delete", ...removal });
  }

  const results = await runBatch({ ...options, batch: { operations, atomic: true } });
  const records = (op: BatchOperation["op"]) =>
    results.flatMap((result) =>
      result.op === op && "record" in result && result.record ? [result.record] : [],
    );
  return {
    created: records("create"),
    updated: records("update"),
    deleted: (changes.delete ?? []).map((removal) => removal.id),
  };
}
