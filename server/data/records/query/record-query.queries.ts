import { type RecordViewRow } from "../records.schemas";
import {
  type PayloadFilter,
  type PayloadPath,
  type RecordQuery,
  type SortTerm,
} from "./record-query.schemas";
import { publishedSql } from "../published-records";

// Safe by construction: every value, pattern and JSON path from the request is a `$n` parameter.
// The only words in the SQL text are the fixed column names, operators and casts below; nothing
// the caller sends is ever spliced into it.

/** Who may be seen, decided by the service (dataset and owner_only policy), not by the caller. */
/** What the service resolved (never from the query string): dataset, owner policy, chosen ids. */
export type RecordQueryScope = { datasetId?: string; ownerId?: string; ids?: string[] };

export type SqlQuery = { text: string; values: unknown[] };

/** A row of the page query: the record, plus `sort_<i>` (jsonb text) for each payload sort key. */
export type RecordQueryRow = RecordViewRow & { [sortKey: `sort_${number}`]: string };

const RECORD_COLUMNS = `id, dataset_id AS "datasetId", owner_id AS "ownerId", payload, archived,
  archived_at AS "archivedAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

const COMPARISON = { gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

class Parameters {
  readonly values: unknown[] = [];
  private readonly paths = new Map<string, string>();

  add(
    value: unknown,
    cast: "text" | "text[]" | "jsonb" | "numeric" | "bigint" | "uuid" | "uuid[]" | "timestamptz",
  ) {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }

  /** One parameter per distinct path, however often the query uses it. */
  path(path: PayloadPath): string {
    const key = path.join(".");
    let ref = this.paths.get(key);
    if (!ref) {
      ref = this.add([...path], "text[]");
      this.paths.set(key, ref);
    }
    return ref;
  }
}

/** `*` is the API's wildcard; `%`, `_` and the escape character itself are literal. */
export function toLikePattern(pattern: string): string {
  return pattern.replace(/[\\%_]/g, "\\$&").replaceAll("*", "%");
}

function conditionSql(filter: PayloadFilter, params: Parameters): string {
  const { condition } = filter;
  // Bound only when used: PostgreSQL rejects a parameter the text never mentions (no type).
  const path = condition.op === "cs" ? "" : params.path(filter.path);
  const json = `payload #> ${path}`;
  const text = `payload #>> ${path}`;
  switch (condition.op) {
    case "eq":
      return `${text} = ${params.add(condition.value, "text")}`;
    case "neq":
      return `${text} <> ${params.add(condition.value, "text")}`;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const operator = COMPARISON[condition.op];
      // jsonb compares numbers as numerics, so no cast that could fail on a non-number; the type
      // test keeps strings (which jsonb orders below numbers) out of a numeric comparison.
      if (condition.numeric) {
        const bound = params.add(condition.value, "numeric");
        return `jsonb_typeof(${json}) = 'number' AND ${json} ${operator} to_jsonb(${bound})`;
      }
      // Bytewise, whatever the database's collation: ISO 8601 timestamps order as times.
      const bound = params.add(condition.value, "text");
      return `jsonb_typeof(${json}) = 'string' AND (${text}) COLLATE "C" ${operator} ${bound}`;
    }
    case "in":
      return `${text} = ANY(${params.add(condition.values, "text[]")})`;
    case "cs": {
      // Containment of the whole payload (not of `payload #> path`) is what the GIN index serves.
      const nested = filter.path.reduceRight(
        (inner, segment) => `{${JSON.stringify(segment)}:${inner}}`,
        condition.json,
      );
      return `payload @> ${params.add(nested, "jsonb")}`;
    }
    case "like":
      return `${text} LIKE ${params.add(toLikePattern(condition.pattern), "text")}`;
    case "ilike":
      return `${text} ILIKE ${params.add(toLikePattern(condition.pattern), "text")}`;
    case "is":
      if (condition.value === "null") return `${text} IS NULL`;
      return condition.value === "true" ? `${json} = 'true'::jsonb` : `${json} = 'false'::jsonb`;
  }
}

function filterSql(filter: PayloadFilter, params: Parameters): string {
  const sql = conditionSql(filter, params);
  // A missing field makes most conditions NULL; `not.` must then match, so NULL counts as false.
  return filter.negate ? `NOT COALESCE((${sql}), false)` : `(${sql})`;
}

function whereSql(query: RecordQuery, scope: RecordQueryScope, params: Parameters): string[] {
  const where: string[] = [];
  if (scope.datasetId) where.push(`dataset_id = ${params.add(scope.datasetId, "uuid")}`);
  if (scope.ownerId) where.push(`owner_id = ${params.add(scope.ownerId, "uuid")}`);
  if (scope.ids) where.push(`id = ANY(${params.add(scope.ids, "uuid[]")})`);
  if (query.archived !== "all") where.push(query.archived === "true" ? "archived" : "NOT archived");
  const bounds = [
    ["created_at >", query.createdAfter],
    ["created_at <", query.createdBefore],
    ["updated_at >", query.updatedAfter],
    ["updated_at <", query.updatedBefore],
  ] as const;
  for (const [column, value] of bounds) {
    if (value !== undefined) where.push(`${column} ${params.add(value, "timestamptz")}`);
  }
  for (const filter of query.filters) where.push(filterSql(filter, params));
  where.push(publishedSql("records"));
  return where;
}

function sortExpression(term: SortTerm, params: Parameters): string {
  // jsonb ordering is total across types; a missing field sorts as JSON null.
  return term.kind === "column"
    ? term.column
    : `COALESCE(payload #> ${params.path(term.path)}, 'null'::jsonb)`;
}

function cursorCast(term: SortTerm) {
  if (term.kind === "payload") return "jsonb";
  return term.column === "id" ? "uuid" : "timestamptz";
}

/**
 * Rows after the cursor in this order: (k1 after c1) OR (k1 = c1 AND k2 after c2) OR …, which
 * works whatever mix of asc and desc (a row comparison would need one direction). The bound on
 * the first key alone is implied, but lets the planner use it as an index range.
 */
function keysetSql(order: SortTerm[], cursor: string[], params: Parameters): string {
  const keys = order.map((term, index) => ({
    expression: sortExpression(term, params),
    value: params.add(cursor[index], cursorCast(term)),
    after: term.direction === "asc" ? ">" : "<",
  }));
  const alternatives = keys.map((key, index) =>
    [
      ...keys.slice(0, index).map((previous) => `${previous.expression} = ${previous.value}`),
      `${key.expression} ${key.after} ${key.value}`,
    ].join(" AND "),
  );
  const first = keys[0]!;
  return `${first.expression} ${first.after}= ${first.value} AND (${alternatives.map((a) => `(${a})`).join(" OR ")})`;
}

const whereClause = (where: string[]) => (where.length ? `WHERE ${where.join("\n  AND ")}` : "");

/**
 * The query's conditions within `scope`, for other statements over `records` (vector search
 * joins it): parameters are `$1…$n` of `values`, and the caller numbers its own after them.
 * Columns are unqualified, so the statement must have no other column of those names in scope.
 */
export function buildRecordConditionsSql(
  query: RecordQuery,
  scope: RecordQueryScope,
): { conditions: string[]; values: unknown[] } {
  const params = new Parameters();
  return { conditions: whereSql(query, scope, params), values: params.values };
}

/** One page: `limit + 1` rows, so the caller knows whether there is a next page. */
/** One page's SELECT; with `scopeIndex`, its rows say which scope and rank they have. */
function pageSql(
  query: RecordQuery,
  scope: RecordQueryScope,
  params: Parameters,
  scopeIndex?: number,
): string {
  const where = whereSql(query, scope, params);
  if (query.cursor) where.push(keysetSql(query.order, query.cursor, params));
  const sortColumns = query.order.flatMap((term, index) =>
    term.kind === "payload" ? [`${sortExpression(term, params)}::text AS "sort_${index}"`] : [],
  );
  const orderBy = query.order
    .map((term) => `${sortExpression(term, params)} ${term.direction === "asc" ? "ASC" : "DESC"}`)
    .join(", ");
  const placed =
    scopeIndex === undefined
      ? []
      : [`${scopeIndex} AS "scopeIndex"`, `row_number() OVER (ORDER BY ${orderBy}) AS "rank"`];
  return [
    `SELECT ${[RECORD_COLUMNS, ...sortColumns, ...placed].join(", ")}`,
    "FROM records",
    whereClause(where),
    `ORDER BY ${orderBy}`,
    `LIMIT ${params.add(query.limit + 1, "bigint")}`,
  ].join("\n");
}

export function buildRecordQuerySql(query: RecordQuery, scope: RecordQueryScope): SqlQuery {
  const params = new Parameters();
  return { text: pageSql(query, scope, params), values: params.values };
}

/**
 * One page per scope, in one statement: each scope's page as buildRecordQuerySql would select it,
 * its rows tagged `scopeIndex` and `rank`, and returned in that order.
 */
export function buildRecordPagesSql(
  query: RecordQuery,
  scopes: readonly RecordQueryScope[],
): SqlQuery {
  const params = new Parameters();
  const pages = scopes.map((scope, i) => `(${pageSql(query, scope, params, i)})`);
  return {
    text: `SELECT * FROM (\n${pages.join("\nUNION ALL\n")}\n) pages ORDER BY "scopeIndex", "rank"`,
    values: params.values,
  };
}

/** The same filters without the cursor: how many records match in all. */
export function buildRecordCountSql(query: RecordQuery, scope: RecordQueryScope): SqlQuery {
  const params = new Parameters();
  const where = whereSql(query, scope, params);
  return {
    text: `SELECT count(*)::bigint AS total FROM records\n${whereClause(where)}`,
    values: params.values,
  };
}

/** The cursor values of a page's last row, in `order`'s terms (see cursor.ts). */
export function sortValues(row: RecordQueryRow, order: SortTerm[]): string[] {
  return order.map((term, index) => {
    if (term.kind === "payload") return row[`sort_${index}`] ?? "null";
    if (term.column === "id") return row.id;
    return (term.column === "created_at" ? row.createdAt : row.updatedAt).toISOString();
  });
}

/**
 * Archives (or restores) every record the query's filters match within `scope`, in one
 * statement; returns their ids. Archived records keep their metadata and payload, and leave the
 * hot set because every read excludes them by default (and the hot index leads with `archived`).
 */
export function buildSetArchivedSql(
  query: RecordQuery,
  scope: RecordQueryScope,
  archived: boolean,
): SqlQuery {
  const params = new Parameters();
  const where = whereSql(query, scope, params);
  const text = [
    `UPDATE records SET archived = ${params.add(archived ? "true" : "false", "text")}::boolean,`,
    `  archived_at = ${archived ? "now()" : "NULL"}, updated_at = now()`,
    whereClause(where),
    `RETURNING id, dataset_id AS "datasetId"`,
  ].join("\n");
  return { text, values: params.values };
}
