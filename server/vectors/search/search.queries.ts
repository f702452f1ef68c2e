import { type VectorMetric, type VectorType } from "../../db/generated/enums";
import { type RecordViewRow } from "../../data/records/records.schemas";
import { METRIC_SQL, typeLiteral, vectorLiteral } from "../metrics";

export type SearchSqlOptions = {
  type: VectorType;
  metric: VectorMetric;
  vector: readonly number[];
  k: number;
  /** From buildRecordConditionsSql: conditions on `records` and their `$1…$n` values. */
  records: { conditions: string[]; values: unknown[] };
  /** Non-admins searching across datasets: their own records, plus every analytics record. */
  visibleTo?: string;
  /** Searching by a record: leave it out of its own results. */
  excludeRecordId?: string;
  /**
   * Exact search: the distance is ordered as `(… <op> $v) + 0`, an expression no ANN index can
   * serve, so the planner scans and sorts.
   */
  exact: boolean;
  /**
   * Rows the inner (index) query returns before the re-sort keeps the best k. More than k makes an
   * approximate scan look further — past rows its relaxed order put early — at a small cost.
   * Default k.
   */
  candidates?: number;
};

export type SearchRow = RecordViewRow & { distance: number };

/**
 * The k nearest embeddings of one type among the records the conditions allow. The type is a
 * literal (the partial indexes are declared per type); every value is a bind parameter. The inner
 * query is materialized and re-sorted because iterative scans in relaxed order may return rows
 * slightly out of order.
 */
export function buildSearchSql(options: SearchSqlOptions): { text: string; values: unknown[] } {
  const values = [...options.records.values];
  const add = (value: unknown, cast: string) => {
    values.push(value);
    return `$${values.length}::${cast}`;
  };
  const { operator } = METRIC_SQL[options.metric];
  const vector = add(vectorLiteral(options.vector), "vector");
  const distance = `e.embedding ${operator} ${vector}`;
  const where = [`e.type = ${typeLiteral(options.type)}`, ...options.records.conditions];
  if (options.visibleTo) {
    where.push(
      `(owner_id = ${add(options.visibleTo, "uuid")} OR dataset_id IN ` +
        `(SELECT d.id FROM datasets d WHERE d.policy = 'analytics'))`,
    );
  }
  if (options.excludeRecordId) where.push(`e.record_id <> ${add(options.excludeRecordId, "uuid")}`);
  const text = [
    "WITH hits AS MATERIALIZED (",
    `  SELECT records.id, records.dataset_id AS "datasetId", records.owner_id AS "ownerId",`,
    `    records.payload, records.archived, records.archived_at AS "archivedAt",`,
    `    records.created_at AS "createdAt", records.updated_at AS "updatedAt",`,
    `    (${distance})::float8 AS distance`,
    "  FROM record_embeddings e",
    "  JOIN records ON records.id = e.record_id",
    `  WHERE ${where.join("\n    AND ")}`,
    `  ORDER BY ${options.exact ? `(${distance}) + 0` : distance}`,
    `  LIMIT ${add(Math.max(options.k, options.candidates ?? 0), "int")}`,
    ")",
    `SELECT * FROM hits ORDER BY distance, id LIMIT ${add(options.k, "int")}`,
  ].join("\n");
  return { text, values };
}
