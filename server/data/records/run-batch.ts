import { inTransaction } from "../../db/transaction";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { type BatchBody, type BatchOperation } from "./batch.schemas";
import { createRecords } from "./create-records";
import { deleteRecord } from "./delete-record";
import { recordCache } from "./record-cache";
import { type RecordView } from "./records.schemas";
import { replaceRecord } from "./replace-record";
import { type ServiceContext } from "../../service-context";
import { type DbClient } from "../../db/transaction";

export type BatchResult =
  | { index: number; op: BatchOperation["op"]; status: number; record?: RecordView }
  | {
      index: number;
      op: BatchOperation["op"];
      status: number;
      error: { error_code: string; message: string; details: unknown };
    };

async function runOperation(context: ServiceContext<DbClient>, operation: BatchOperation) {
  switch (operation.op) {
    case "create": {
      const [record] = await createRecords({
        ...context,
        dataset: operation.dataset,
        payloads: [operation.payload],
      });
      return { status: 201, record, datasetId: record!.dataset_id };
    }
    case "update": {
      const { record } = await replaceRecord({
        ...context,
        id: operation.id,
        payload: operation.payload,
        ifMatch: operation.if_match,
      });
      return { status: 200, record, datasetId: record.dataset_id };
    }
    case "delete": {
      const { datasetId } = await deleteRecord({
        ...context,
        id: operation.id,
        ifMatch: operation.if_match,
      });
      return { status: 204, record: undefined, datasetId };
    }
  }
}

const errorOf = (error: AppError) => ({
  error_code: error.code,
  message: error.message,
  details: error.details ?? null,
});

/**
 * Several creates, updates and deletes in one request. Atomic (the default): one transaction, and
 * the first failing operation rolls everything back. Otherwise each runs on its own and the
 * answer lists a result per operation. The rules of each operation are those of the single-record
 * services it calls, so a batch can do nothing a caller could not do one by one.
 */
export async function runBatch(
  context: ServiceContext<DbClient> & { batch: BatchBody },
): Promise<BatchResult[]> {
  const { batch } = context;
  const results: BatchResult[] = [];
  const touchedDatasets = new Set<string>();
  if (batch.atomic) {
    await inTransaction(context.db, async (tx) => {
      for (const [index, operation] of batch.operations.entries()) {
        try {
          const { status, record, datasetId } = await runOperation(
            { ...context, db: { prisma: tx } },
            operation,
          );
          touchedDatasets.add(datasetId);
          results.push({ index, op: operation.op, status, ...(record ? { record } : {}) });
        } catch (error) {
          // The status of the operation that failed, and which one it was; nothing was written.
          const cause = toAppError(error);
          throw new AppError(
            cause.code,
            `Operation ${index} (${operation.op}) failed: ${cause.message}`,
            {
              index,
              error: errorOf(cause),
            },
          );
        }
      }
    });
  } else {
    for (const [index, operation] of batch.operations.entries()) {
      try {
        const { status, record, datasetId } = await runOperation(context, operation);
        touchedDatasets.add(datasetId);
        results.push({ index, op: operation.op, status, ...(record ? { record } : {}) });
      } catch (error) {
        const appError = toAppError(error);
        results.push({
          index,
          op: operation.op,
          status: appError.status,
          error: errorOf(appError),
        });
      }
    }
  }
  // Services invalidated as they went; inside a transaction that was before commit, so again now.
  const ids = batch.operations.flatMap((o) => ("id" in o ? [o.id] : []));
  await recordCache(context.cache).invalidate(ids, [...touchedDatasets]);
  return results;
}
