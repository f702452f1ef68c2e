import { etagOf } from "./etag";
import { loadAccessibleRecord } from "./record-access";
import { recordCache } from "./record-cache";
import { toRecordView, type RecordView } from "./records.schemas";
import { type RecordServiceContext } from "./write-context";

/** One record and its ETag, from the cache when hot; 404 when missing or hidden by the policy. */
export async function getRecord(
  options: Omit<RecordServiceContext, "ip" | "requestId"> & { id: string },
): Promise<{ record: RecordView; etag: string }> {
  const cache = recordCache(options.cache);
  const hit = await cache.getRecord(options.principal, options.id);
  if (hit) return { record: hit.view, etag: hit.etag };

  // The record's dataset is unknown until it is read; its version is taken after, and a write
  // between read and put only costs a miss (the version moves on and the entry is ignored).
  const row = await loadAccessibleRecord({ ...options, permission: "read" });
  const record = toRecordView(row);
  const etag = etagOf(row);
  const datasetVersion = await cache.currentVersion(row.datasetId);
  const fresh = await loadAccessibleRecord({ ...options, permission: "read" }).catch(
    () => undefined,
  );
  if (fresh && etagOf(fresh) === etag) {
    await cache.putRecord({ view: record, policy: row.dataset.policy, etag, datasetVersion });
  }
  return { record, etag };
}
