import { etagOf } from "./etag";
import { isRecordUnchanged, loadAccessibleRecord } from "./record-access";
import { recordCache } from "./record-cache";
import { toRecordView, type RecordView } from "./records.schemas";
import { type ServiceContext } from "../../service-context";
import { type DbClient } from "../../db/transaction";

/** One record and its ETag, from the cache when hot; 404 when missing or hidden by the policy. */
export async function getRecord(
  options: Omit<ServiceContext<DbClient>, "ip" | "requestId"> & { id: string },
): Promise<{ record: RecordView; etag: string }> {
  const cache = recordCache(options.cache);
  const lookup = await cache.lookupRecord(options.principal, options.id);
  if (lookup.hit) return { record: lookup.hit.view, etag: lookup.hit.etag };

  const row = await loadAccessibleRecord({ ...options, permission: "read" });
  const record = toRecordView(row);
  const etag = etagOf(row);
  const entry = { view: record, policy: row.dataset.policy, etag };
  if (lookup.datasetVersion !== undefined) {
    // The version was taken before the read: a write after it moves the version on, and this
    // entry is never served.
    await cache.putRecord({ ...entry, datasetVersion: lookup.datasetVersion });
  } else {
    // The dataset was unknown until the read, so its version is taken after it; a write in
    // between would be filed under the new version, hence the re-check.
    cache.rememberDataset([row.id], row.datasetId);
    const datasetVersion = await cache.currentVersion(row.datasetId);
    if (await isRecordUnchanged(options.db, row))
      await cache.putRecord({ ...entry, datasetVersion });
  }
  return { record, etag };
}
