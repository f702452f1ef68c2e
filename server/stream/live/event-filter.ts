import {
  type PayloadCondition,
  type PayloadFilter,
  type PayloadPath,
} from "../../data/records/query/record-query.schemas";

/**
 * The REST filter syntax (`payload.<path>=[not.]<op>.<value>`, parse-payload-filter.ts) applied
 * to an event in memory, with the SQL builder's meaning (record-query.queries.ts): text forms as
 * `#>>` gives them, numbers compared as numbers only against JSON numbers, strings bytewise,
 * `cs` as jsonb containment, and `not.` matching whatever the condition does not, missing
 * fields included.
 */
export function matchesFilters(payload: unknown, filters: readonly PayloadFilter[]): boolean {
  return filters.every((filter) => {
    const matched = matchesCondition(payload, filter.path, filter.condition);
    return filter.negate ? !matched : matched;
  });
}

function valueAt(payload: unknown, path: PayloadPath): unknown {
  let value = payload;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** `payload #>> path`: undefined where SQL has NULL (missing, or JSON null). */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

const COMPARE = {
  gt: (c: number) => c > 0,
  gte: (c: number) => c >= 0,
  lt: (c: number) => c < 0,
  lte: (c: number) => c <= 0,
};

function matchesCondition(payload: unknown, path: PayloadPath, condition: PayloadCondition) {
  if (condition.op === "cs") {
    const nested = path.reduceRight<unknown>(
      (inner, segment) => ({ [segment]: inner }),
      JSON.parse(condition.json),
    );
    return contains(payload, nested);
  }
  const value = valueAt(payload, path);
  const text = textOf(value);
  switch (condition.op) {
    case "eq":
      return text === condition.value;
    case "neq":
      return text !== undefined && text !== condition.value;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (condition.numeric) {
        if (typeof value !== "number") return false;
        const bound = Number(condition.value);
        return COMPARE[condition.op](value === bound ? 0 : value < bound ? -1 : 1);
      }
      if (typeof value !== "string") return false;
      return COMPARE[condition.op](
        Buffer.compare(Buffer.from(value), Buffer.from(condition.value)),
      );
    }
    case "in":
      return text !== undefined && condition.values.includes(text);
    case "like":
    case "ilike":
      return text !== undefined && likeRegExp(condition.pattern, condition.op).test(text);
    case "is":
      if (condition.value === "null") return text === undefined;
      return value === (condition.value === "true");
  }
}

const likeCache = new Map<string, RegExp>();

/** `*` is the wildcard, everything else literal, and the whole text must match. */
function likeRegExp(pattern: string, op: "like" | "ilike"): RegExp {
  const key = `${op}:${pattern}`;
  let regexp = likeCache.get(key);
  if (!regexp) {
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    regexp = new RegExp(`^${body}$`, op === "ilike" ? "is" : "s");
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(key, regexp);
  }
  return regexp;
}

/** jsonb's @>: objects by key, arrays by elements (in any order), a top-level array holds a scalar. */
function contains(container: unknown, contained: unknown, top = true): boolean {
  if (Array.isArray(container)) {
    if (Array.isArray(contained)) {
      return contained.every((item) => container.some((have) => contains(have, item, false)));
    }
    if (top && (typeof contained !== "object" || contained === null)) {
      return container.some((have) => contains(have, contained, false));
    }
    return false;
  }
  if (typeof contained === "object" && contained !== null) {
    if (typeof container !== "object" || container === null || Array.isArray(contained))
      return false;
    return Object.entries(contained).every(([key, item]) =>
      contains((container as Record<string, unknown>)[key], item, false),
    );
  }
  return container === contained;
}
