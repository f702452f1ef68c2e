import { recordAudit } from "../../audit/record-audit";
import { recordChanges, recordsById } from "./record-changes";
import { recordOwnerScope } from "../../auth/resource-policy";
import { inTransaction } from "../../db/transaction";
import { findDataset } from "../datasets/find-dataset";
import { type ArchiveCriteria } from "./archive.schemas";
import { parseRecordQuery } from "./query/parse-record-query";
import { buildSetArchivedSql } from "./query/record-query.queries";
import { recordCache } from "./record-cache";
import { type ServiceContext } from "../../service-context";
import { type DbClient } from "../../db/transaction";

/** How many ids an audit entry lists; the count is always exact. */
const AUDITED_IDS = 100;

/**
 * Archives (`archived: true`) or restores the records matching the criteria that the principal
 * may write under the dataset's policy, all in one statement and one audit entry. The criteria
 * use the query syntax of GET /data, parsed by the same parser, so a filter means the same thing
 * whether it reads or archives.
 */
export async function setArchived(
  options: ServiceContext<DbClient> & { criteria: ArchiveCriteria; archived: boolean },
): Promise<{ count: number; ids: string[] }> {
  const { db, principal, criteria, archived } = options;
  const dataset = await findDataset(db, criteria.dataset);
  const scope = {
    datasetId: dataset.id,
    ids: criteria.ids,
    ...recordOwnerScope(principal, dataset.policy, "write"),
  };
  const params = new URLSearchParams({ dataset: dataset.id, ...criteria.filter });
  if (criteria.created_after) params.set("created_after", criteria.created_after);
  if (criteria.created_before) params.set("created_before", criteria.created_before);
  const query = {
    ...parseRecordQuery(params),
    archived: archived ? ("false" as const) : ("true" as const),
  };

  const ids = await inTransaction(db, async (tx) => {
    const { text, values } = buildSetArchivedSql(query, scope, archived);
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(text, ...values);
    if (rows.length > 0) {
      await recordChanges(
        { prisma: tx },
        archived ? "archive" : "restore",
        dataset,
        recordsById(rows.map((r) => r.id)),
      );
      await recordAudit(
        { prisma: tx },
        {
          actor: principal,
          action: archived ? "record.archive" : "record.restore",
          resource: { type: "dataset", id: dataset.id },
          summary: {
            count: rows.length,
            criteria,
            ids: rows.slice(0, AUDITED_IDS).map((r) => r.id),
          },
          ip: options.ip,
          requestId: options.requestId,
        },
      );
    }
    return rows.map((r) => r.id);
  });
  await recordCache(options.cache).invalidate([], [dataset.id]);
  return { count: ids.length, ids };
}
