import { authorize } from "../../auth/authorize";
import { isAdmin, type Principal } from "../../auth/principal";
import { recordOwnerScope } from "../../auth/resource-policy";
import { type Database } from "../../db/client";
import type { Dataset } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { findDatasetCached } from "../datasets/find-dataset";
import { encodeCursor } from "./query/cursor";
import { projectRecord } from "./query/project-record";
import { type RecordQuery, type RecordQueryItem } from "./query/record-query.schemas";
import {
  buildRecordCountSql,
  buildRecordPagesSql,
  buildRecordQuerySql,
  sortValues,
  type RecordQueryRow,
  type RecordQueryScope,
} from "./query/record-query.queries";
import { toRecordView } from "./records.schemas";

export type QueryRecordsOptions = {
  db: Pick<Database, "pool" | "prisma">;
  principal: Principal;
  /** From parseRecordQuery: syntax is checked there, who may see what is decided here. */
  query: RecordQuery;
  /** `query.dataset`, already looked up by the caller (the cached path): saves a round trip. */
  dataset?: Dataset;
};

export type QueryRecordsResult = {
  items: RecordQueryItem[];
  /** Pass as `cursor` for the next page; null on the last one. */
  next_cursor: string | null;
  /** With `count=exact`: all matching records, not only this page's. */
  total?: number;
};

/**
 * Lists records with the PostgREST-like filters, order, selection and keyset pagination of
 * `GET /api/v1/lake/data`. With a dataset, its policy decides (user_data: a non-admin sees only
 * its own records; analytics: anyone with read). Without one, a non-admin sees only its own
 * records across datasets — the one rule that holds for every policy.
 */
export async function queryRecords({
  db,
  principal,
  query,
  dataset: resolved,
}: QueryRecordsOptions): Promise<QueryRecordsResult> {
  const { scope } = await resolveRecordScope({ db, principal, query, dataset: resolved });
  const page = buildRecordQuerySql(query, scope);
  const [rows, total] = await Promise.all([
    db.pool.query<RecordQueryRow>(page).then((result) => result.rows),
    query.count ? countRecords(db, query, scope) : undefined,
  ]);
  return pageOf(query, rows, total);
}

/**
 * Who may be seen by this query: the read permission, the owner filter's rule, and the dataset's
 * policy. Shared by every reader of a query's records (a page, an export), so they cannot differ.
 */
export async function resolveRecordScope(options: {
  db: Pick<Database, "prisma">;
  principal: Principal;
  query: RecordQuery;
  dataset?: Dataset;
}): Promise<{ scope: RecordQueryScope; dataset?: Dataset }> {
  const { db, principal, query } = options;
  assertMayQuery(principal, query);
  if (query.dataset === undefined) {
    return { scope: { ownerId: isAdmin(principal) ? query.owner : principal.userId } };
  }
  const dataset = options.dataset ?? (await findDatasetCached(db, query.dataset));
  const policyScope = recordOwnerScope(principal, dataset.policy, "read");
  return { scope: { datasetId: dataset.id, ownerId: policyScope.ownerId ?? query.owner }, dataset };
}

/** The read permission, and an owner filter only on one's own records unless an admin. */
function assertMayQuery(principal: Principal, query: RecordQuery): void {
  authorize(principal, "read");
  // Anyone may narrow to their own records; only administrators to someone else's.
  if (query.owner !== undefined && query.owner !== principal.userId && !isAdmin(principal)) {
    throw new AppError("forbidden", 'Only administrators can filter by another "owner".', {
      parameter: "owner",
      value: query.owner,
    });
  }
}

/** A page from its rows (one more than the limit when there is a next page). */
function pageOf(query: RecordQuery, rows: RecordQueryRow[], total?: number): QueryRecordsResult {
  const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
  const result: QueryRecordsResult = {
    items: rows.slice(0, query.limit).map((row) => projectRecord(toRecordView(row), query.select)),
    next_cursor: last ? encodeCursor(query.order, sortValues(last, query.order)) : null,
  };
  if (total !== undefined) result.total = total;
  return result;
}

/**
 * queryRecords for several datasets at once: a page of each, with the same filters, order and
 * size, in one statement — each dataset's own policy deciding for its page. What GraphQL asks
 * when a list of datasets each lists its records (no statement per dataset). Totals, when asked
 * for, are still counted per dataset.
 */
export async function queryRecordsPerDataset(options: {
  db: Pick<Database, "pool" | "prisma">;
  principal: Principal;
  query: RecordQuery;
  datasets: readonly Pick<Dataset, "id" | "policy">[];
}): Promise<QueryRecordsResult[]> {
  const { db, principal, query, datasets } = options;
  assertMayQuery(principal, query);
  if (datasets.length === 0) return [];
  const scopes = datasets.map((dataset) => ({
    datasetId: dataset.id,
    ownerId: recordOwnerScope(principal, dataset.policy, "read").ownerId ?? query.owner,
  }));
  const { rows } = await db.pool.query<RecordQueryRow & { scopeIndex: number }>(
    buildRecordPagesSql(query, scopes),
  );
  const byScope = scopes.map((): RecordQueryRow[] => []);
  for (const row of rows) byScope[row.scopeIndex]!.push(row);
  const totals = query.count
    ? await Promise.all(scopes.map((scope) => countRecords(db, query, scope)))
    : undefined;
  return byScope.map((scopeRows, i) => pageOf(query, scopeRows, totals?.[i]));
}

async function countRecords(
  db: Pick<Database, "pool">,
  query: RecordQuery,
  scope: RecordQueryScope,
): Promise<number> {
  const { rows } = await db.pool.query<{ total: string }>(buildRecordCountSql(query, scope));
  return Number(rows[0]?.total ?? 0);
}
