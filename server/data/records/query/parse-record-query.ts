import { decodeCursor } from "./cursor";
import { unstorableTextReason } from "./json-text";
import { parsePayloadFilter } from "./parse-payload-filter";
import { parseSelection } from "./parse-selection";
import { parseSortOrder } from "./parse-sort-order";
import { queryParameterError } from "./query-parameter-error";
import { type RecordQuery } from "./record-query.schemas";
import { isUuid } from "../../../input/uuid";

export type ParseRecordQueryOptions = {
  /** The largest `limit` a caller may ask for (500). */
  maxLimit?: number;
  /** The page size without `limit` (50). */
  defaultLimit?: number;
};

const SINGLE_PARAMETERS = [
  "dataset",
  "owner",
  "archived",
  "created_after",
  "created_before",
  "updated_after",
  "updated_before",
  "order",
  "select",
  "limit",
  "cursor",
  "count",
] as const;
type SingleParameter = (typeof SINGLE_PARAMETERS)[number];

const MAX_FILTERS = 50;
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2})(?::?(\d{2}))?))?$/;

/**
 * Parses the query string of `GET /api/v1/lake/data` (the syntax is in the README). Pure: it
 * checks syntax only; who may see what is decided by queryRecords. Anything it does not know —
 * a parameter, an operator, a path, a value — is a 400 naming it.
 */
export function parseRecordQuery(
  params: URLSearchParams,
  options: ParseRecordQueryOptions = {},
): RecordQuery {
  const single = new Map<SingleParameter, string>();
  const filters = [];
  for (const [key, value] of params) {
    const reason = unstorableTextReason(key) ?? unstorableTextReason(value);
    if (reason) throw queryParameterError(key, value, reason);
    if (key.startsWith("payload.")) {
      if (filters.length === MAX_FILTERS) {
        throw queryParameterError(
          key,
          value,
          `is one payload filter too many (at most ${MAX_FILTERS})`,
        );
      }
      filters.push(parsePayloadFilter(key, value));
    } else if (isSingleParameter(key)) {
      if (single.has(key)) throw queryParameterError(key, value, "is given more than once");
      single.set(key, value);
    } else {
      throw queryParameterError(
        key,
        value,
        key === "payload"
          ? "needs a path: payload.<field>[.<field>…]=<operator>.<value>"
          : "is not a known parameter",
      );
    }
  }

  const maxLimit = options.maxLimit ?? 500;
  const order = parseSortOrder(single.get("order"));
  const cursor = single.get("cursor");
  const query: RecordQuery = {
    archived: parseArchived(single.get("archived")),
    filters,
    order,
    limit: parseLimit(
      single.get("limit"),
      maxLimit,
      options.defaultLimit ?? Math.min(50, maxLimit),
    ),
    count: parseCount(single.get("count")),
  };
  const dataset = single.get("dataset");
  if (dataset !== undefined) query.dataset = nonEmpty("dataset", dataset);
  const owner = single.get("owner");
  if (owner !== undefined) {
    if (!isUuid(owner)) throw queryParameterError("owner", owner, "is not a user id (uuid)");
    query.owner = owner.toLowerCase();
  }
  const instant = (parameter: SingleParameter) => {
    const value = single.get(parameter);
    return value === undefined ? undefined : parseInstant(parameter, value);
  };
  const bounds = {
    createdAfter: instant("created_after"),
    createdBefore: instant("created_before"),
    updatedAfter: instant("updated_after"),
    updatedBefore: instant("updated_before"),
  };
  for (const [name, value] of Object.entries(bounds)) {
    if (value !== undefined) query[name as keyof typeof bounds] = value;
  }
  const select = single.get("select");
  if (select !== undefined) query.select = parseSelection(select);
  // An empty cursor is the first page: clients can send `cursor=` before they have one.
  if (cursor) query.cursor = decodeCursor(cursor, order);
  return query;
}

function isSingleParameter(key: string): key is SingleParameter {
  return (SINGLE_PARAMETERS as readonly string[]).includes(key);
}

function nonEmpty(parameter: string, value: string): string {
  if (value === "") throw queryParameterError(parameter, value, "is empty");
  return value;
}

function parseArchived(value: string | undefined): RecordQuery["archived"] {
  if (value === undefined) return "false";
  if (value === "false" || value === "true" || value === "all") return value;
  throw queryParameterError("archived", value, "must be false, true or all");
}

function parseLimit(value: string | undefined, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const limit = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= max)) {
    throw queryParameterError("limit", value, `must be a whole number from 1 to ${max}`);
  }
  return limit;
}

function parseCount(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value === "exact") return true;
  throw queryParameterError("count", value, "must be exact");
}

/**
 * An ISO 8601 date (midnight UTC) or date-time with a zone, as text PostgreSQL reads the same
 * way whatever its session time zone. A `+` offset arrives as a space when the client did not
 * percent-encode it, so a space there is read as `+`.
 */
function parseInstant(parameter: string, value: string): string {
  const text = value.replace(/ (\d{2}(?::?\d{2})?)$/, "+$1");
  const match = ISO_8601.exec(text);
  const [, year, month, day, hour, minute, second, offsetHour, offsetMinute] = (match ?? []).map(
    (part) => (part === undefined ? 0 : Number(part)),
  );
  const daysInMonth = new Date(Date.UTC(year ?? 0, month ?? 0, 0)).getUTCDate();
  const valid =
    match !== null &&
    year! >= 1 &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHour! <= 15 &&
    offsetMinute! <= 59;
  if (!valid) {
    throw queryParameterError(
      parameter,
      value,
      "is not an ISO 8601 date or date-time with a zone (2024-05-01, 2024-05-01T12:00:00Z)",
    );
  }
  return text.length === 10 ? `${text}T00:00:00Z` : text;
}
