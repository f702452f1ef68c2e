import { inTransaction } from "../../db/transaction";
import { recordAudit } from "../../audit/record-audit";
import { recordChanges, recordsById } from "./record-changes";
import type { Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { validatePayload } from "../datasets/payload-validator";
import { assertIfMatch, etagOf } from "./etag";
import { loadAccessibleRecord } from "./record-access";
import { recordCache } from "./record-cache";
import { recordViewSelect, toRecordView, type RecordView } from "./records.schemas";
import { type ServiceContext } from "../../service-context";
import { type DbClient } from "../../db/transaction";

/** Which top-level keys a write changed: the audit summary, without the values themselves. */
export function changedKeys(before: object, after: object): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter(
    (key) =>
      JSON.stringify((before as Record<string, unknown>)[key]) !==
      JSON.stringify((after as Record<string, unknown>)[key]),
  );
}

/**
 * PUT: replaces the payload. With If-Match, only the version the caller read may be replaced
 * (412 otherwise); the check and the write happen under one row condition, so two writers racing
 * with the same ETag cannot both win.
 */
export async function replaceRecord(
  options: ServiceContext<DbClient> & {
    id: string;
    payload: Record<string, unknown>;
    ifMatch?: string;
  },
): Promise<{ record: RecordView; etag: string }> {
  const { db, principal } = options;
  const current = await loadAccessibleRecord({
    db,
    principal,
    id: options.id,
    permission: "write",
  });
  assertIfMatch(options.ifMatch, current);
  validatePayload(
    {
      id: current.dataset.id,
      jsonSchema: current.dataset.jsonSchema,
      updatedAt: current.dataset.updatedAt,
    },
    options.payload,
  );

  const row = await inTransaction(db, async (tx) => {
    // With If-Match, replace only the version that was checked; without, last writer wins.
    const where =
      options.ifMatch === undefined
        ? { id: current.id }
        : { id: current.id, updatedAt: current.updatedAt };
    const { count } = await tx.record.updateMany({
      where,
      data: { payload: options.payload as Prisma.InputJsonValue },
    });
    if (count === 0) {
      throw new AppError(
        "precondition_failed",
        "The record changed while it was being replaced; read it again.",
      );
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "record.update",
        resource: { type: "record", id: current.id },
        summary: { changed_keys: changedKeys(current.payload as object, options.payload) },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    await recordChanges({ prisma: tx }, "update", current.dataset, recordsById([current.id]));
    return tx.record.findUniqueOrThrow({ where: { id: current.id }, select: recordViewSelect });
  });
  await recordCache(options.cache).invalidate([row.id], [row.datasetId]);
  return { record: toRecordView(row), etag: etagOf(row) };
}
