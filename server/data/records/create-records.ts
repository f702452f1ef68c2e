import { authorize } from "../../auth/authorize";
import { AppError } from "../../errors/app-error";
import { findDatasetCached } from "../datasets/find-dataset";
import { validatePayload } from "../datasets/payload-validator";
import { recordCache } from "./record-cache";
import { insertRecordsAudited } from "./records.queries";
import { toRecordView, type RecordView } from "./records.schemas";
import { type ServiceContext } from "../../service-context";
import { type DbClient } from "../../db/transaction";

/** Larger loads belong to the resumable import (`/api/v1/lake/import`). */
export const MAX_RECORDS_PER_REQUEST = 1000;

/**
 * Creates one or many records in one dataset, all or nothing: every payload is validated against
 * the dataset's schema first (400 lists each failing record and path), then one statement
 * inserts them and their audit entries. The caller owns what it creates.
 */
export async function createRecords(
  options: ServiceContext<DbClient> & { dataset: string; payloads: Record<string, unknown>[] },
): Promise<RecordView[]> {
  const { db, principal, payloads } = options;
  authorize(principal, "write");
  if (payloads.length === 0) throw new AppError("bad_request", "Send at least one record.");
  if (payloads.length > MAX_RECORDS_PER_REQUEST) {
    throw new AppError(
      "bad_request",
      `At most ${MAX_RECORDS_PER_REQUEST} records per request; use /api/v1/lake/import for bulk loads.`,
      { max: MAX_RECORDS_PER_REQUEST, received: payloads.length },
    );
  }
  const dataset = await findDatasetCached(db, options.dataset);
  const failures = payloads.flatMap((payload, index) => {
    try {
      validatePayload(dataset, payload);
      return [];
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return [{ index, errors: error.details }];
    }
  });
  if (failures.length > 0) {
    throw new AppError(
      "validation_failed",
      "Some payloads do not match the dataset's schema.",
      failures,
    );
  }

  const rows = await insertRecordsAudited(db, {
    datasetId: dataset.id,
    policy: dataset.policy,
    ownerId: principal.userId,
    payloads,
    audit: (id, payload) => ({
      actor: principal,
      action: "record.create",
      resource: { type: "record", id },
      summary: { dataset: dataset.name, keys: Object.keys(payload) },
      ip: options.ip,
      requestId: options.requestId,
    }),
  });
  const cache = recordCache(options.cache);
  await cache.invalidate([], [dataset.id]);
  cache.rememberDataset(
    rows.map((row) => row.id),
    dataset.id,
  );
  return rows.map(toRecordView);
}
