// The Data page's query, as the query string of GET /api/v1/lake/data: the console sends exactly
// this string to records.query, and shows it so analysts can reuse it with the API. The syntax is
// the server's (server/data/records/query/parse-record-query.ts); this module only writes it.

export const FILTER_OPERATORS = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "cs",
  "like",
  "ilike",
  "is",
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export const OPERATOR_INFO: Record<
  FilterOperator,
  { label: string; symbol: string; placeholder: string }
> = {
  eq: { label: "equals", symbol: "=", placeholder: "open" },
  neq: { label: "does not equal", symbol: "≠", placeholder: "closed" },
  gt: { label: "greater than", symbol: ">", placeholder: "10" },
  gte: { label: "greater than or equal", symbol: "≥", placeholder: "10" },
  lt: { label: "less than", symbol: "<", placeholder: "2024-05-01" },
  lte: { label: "less than or equal", symbol: "≤", placeholder: "2024-05-01" },
  in: { label: "is one of", symbol: "in", placeholder: "open, pending" },
  cs: { label: "contains (JSON)", symbol: "contains", placeholder: '["red"] or {"city":"Paris"}' },
  like: { label: "matches (case-sensitive, * wildcard)", symbol: "like", placeholder: "Al*" },
  ilike: { label: "matches (any case, * wildcard)", symbol: "ilike", placeholder: "al*" },
  is: { label: "is", symbol: "is", placeholder: "null" },
};

export const IS_VALUES = ["null", "true", "false"] as const;

export type FilterCondition = {
  /** The payload path without `payload.`, e.g. `status` or `address.city`. */
  path: string;
  op: FilterOperator;
  /** `not.`: the records the condition does not match, missing fields included. */
  negate: boolean;
  /** As typed: a comma-separated list for `in`, JSON for `cs`, null/true/false for `is`. */
  value: string;
};

export type ArchivedFilter = "false" | "true" | "all";
export type SortDirection = "asc" | "desc";
/** null: the API's default, newest first. */
export type SortOrder = { key: string; direction: SortDirection } | null;

export type RecordQueryState = {
  dataset: string;
  filters: readonly FilterCondition[];
  order: SortOrder;
  archived: ArchivedFilter;
  limit: number;
  /** Ask for `total` (count=exact): one more query on the server. */
  count: boolean;
};

export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 25;

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PATH_DEPTH = 8;

/** `payload.` is optional when typing a path; the API's parameter always has it. */
export function normalizePath(path: string): string {
  const trimmed = path.trim();
  return trimmed.startsWith("payload.") ? trimmed.slice("payload.".length) : trimmed;
}

/** Whether a top-level or nested payload key can be named in a filter or sort. */
export function isPayloadPath(path: string): boolean {
  const segments = path.split(".");
  return segments.length <= MAX_PATH_DEPTH && segments.every((segment) => SEGMENT.test(segment));
}

/** What is wrong with a condition before it is sent, so the filter bar can say it inline. */
export function conditionErrors(condition: FilterCondition): { path?: string; value?: string } {
  const errors: { path?: string; value?: string } = {};
  const path = normalizePath(condition.path);
  if (path === "") errors.path = "Name a field, e.g. status or address.city.";
  else if (!isPayloadPath(path)) {
    errors.path = "Keys of letters, digits and _, joined by dots (address.city).";
  }
  const value = condition.value.trim();
  switch (condition.op) {
    case "cs":
      try {
        JSON.parse(value);
      } catch {
        errors.value = 'Contains takes JSON, e.g. "text", 5, ["red"] or {"city":"Paris"}.';
      }
      break;
    case "is":
      if (!(IS_VALUES as readonly string[]).includes(value)) {
        errors.value = "Choose null, true or false.";
      }
      break;
    case "in":
      if (value === "") errors.value = "List at least one value, separated by commas.";
      break;
    default:
      // An empty value would match only empty strings: almost never what was meant, and it
      // looks like "no filter" while hiding every record. Empty strings can still be asked for
      // in the API (`eq.`), and missing fields with `is null`.
      if (value === "")
        errors.value = "Type a value to compare with (for a missing field, use is null).";
      break;
  }
  return errors;
}

/** `in`'s list: comma-separated items, quoted when they hold a quote or a backslash. */
function inList(value: string): string {
  const trimmed = value.trim();
  // Already in the API's own syntax (which can hold commas inside quotes): sent as typed.
  if (trimmed.startsWith("(") && trimmed.endsWith(")")) return trimmed;
  const items = trimmed.split(",").map((item) => item.trim());
  return `(${items
    .map((item) => (/["\\]/.test(item) ? `"${item.replace(/["\\]/g, (c) => `\\${c}`)}"` : item))
    .join(",")})`;
}

/** The parameter for one condition: `payload.<path>` = `[not.]<op>.<value>`. */
export function conditionParameter(condition: FilterCondition): [string, string] {
  const operand =
    condition.op === "in"
      ? inList(condition.value)
      : condition.op === "cs" || condition.op === "is"
        ? condition.value.trim()
        : condition.value;
  return [
    `payload.${normalizePath(condition.path)}`,
    `${condition.negate ? "not." : ""}${condition.op}.${operand}`,
  ];
}

/** The parameters in a stable, readable order; defaults are left out, as a person would. */
export function recordQueryParameters(
  state: RecordQueryState,
  cursor?: string,
): [string, string][] {
  const parameters: [string, string][] = [["dataset", state.dataset]];
  for (const condition of state.filters) parameters.push(conditionParameter(condition));
  if (state.archived !== "false") parameters.push(["archived", state.archived]);
  if (state.order) parameters.push(["order", `${state.order.key}.${state.order.direction}`]);
  parameters.push(["limit", String(state.limit)]);
  if (state.count) parameters.push(["count", "exact"]);
  if (cursor) parameters.push(["cursor", cursor]);
  return parameters;
}

/**
 * Percent-encoding that keeps the query syntax legible (`,` `:` `(` `)` `*` stay as they are)
 * and safe to paste into a shell in single quotes or into curl, which globs `[]{}` (still
 * encoded) — URLSearchParams would encode all of them.
 */
function encodePart(text: string): string {
  return encodeURIComponent(text).replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/'/g, "%27");
}

export function toQueryString(parameters: readonly (readonly [string, string])[]): string {
  return parameters.map(([key, value]) => `${encodePart(key)}=${encodePart(value)}`).join("&");
}

/** A curl command for the same query; the token comes from the environment, never the page. */
export function curlCommand(origin: string, queryString: string): string {
  return [
    `curl -s '${origin}/api/v1/lake/data?${queryString}' \\`,
    `  -H "Authorization: Bearer $LAKE_TOKEN"`,
  ].join("\n");
}

/** A short, human summary of a condition for its chip, e.g. `status = open`. */
export function describeCondition(condition: FilterCondition): string {
  const { symbol } = OPERATOR_INFO[condition.op];
  const value = condition.op === "in" ? inList(condition.value) : condition.value.trim();
  return `${condition.negate ? "not " : ""}${normalizePath(condition.path)} ${symbol} ${value}`;
}
