import { encodeCursor } from "../../data/records/query/cursor";
import { parseSortOrder } from "../../data/records/query/parse-sort-order";
import {
  MAX_PATH_DEPTH,
  PAYLOAD_SEGMENT,
  RECORD_FIELDS,
  SORT_COLUMNS,
  type PayloadCondition,
} from "../../data/records/query/record-query.schemas";
import { type ParameterObject } from "../openapi-types";

// The query string of GET /api/v1/lake/data, as server/data/records/query/ parses it. The tests
// run every example below through parseRecordQuery, so an example that stops parsing — or an
// operator added to PayloadCondition without a line here — fails them.

/** Every payload filter operator, with what it means and a filter that uses it. */
export const PAYLOAD_OPERATORS: Record<
  PayloadCondition["op"],
  { meaning: string; example: [key: string, value: string] }
> = {
  eq: {
    meaning: 'equals, comparing the value\'s text form (`eq.5` matches 5 and "5")',
    example: ["payload.status", "eq.paid"],
  },
  neq: {
    meaning: "differs from; the field must be present",
    example: ["payload.status", "neq.cancelled"],
  },
  gt: {
    meaning:
      "greater than: numerically against JSON numbers when the value is a number, otherwise " +
      "bytewise against JSON strings (so ISO 8601 times order as times)",
    example: ["payload.total", "gt.100"],
  },
  gte: {
    meaning: "greater than or equal, like `gt`",
    example: ["payload.placed_at", "gte.2024-05-01"],
  },
  lt: { meaning: "less than, like `gt`", example: ["payload.total", "lt.19.99"] },
  lte: { meaning: "less than or equal, like `gt`", example: ["payload.customer.age", "lte.30"] },
  in: {
    meaning:
      "one of a parenthesised list (text form); double-quote an item that holds a comma, with " +
      '`\\"` and `\\\\` inside quotes; at most 500 items',
    example: ["payload.city", 'in.(Paris,Lyon,"Washington, D.C.")'],
  },
  cs: {
    meaning: "contains this JSON (object, array, string or number), like PostgreSQL's `@>`",
    example: ["payload.tags", 'cs.["vip"]'],
  },
  like: {
    meaning:
      "matches a pattern, case-sensitive: `*` is the wildcard, every other character is literal",
    example: ["payload.email", "like.*@example.com"],
  },
  ilike: { meaning: "like `like`, ignoring case", example: ["payload.name", "ilike.ada*"] },
  is: {
    meaning: "`is.null` (missing or JSON null), `is.true` or `is.false`",
    example: ["payload.shipped", "is.true"],
  },
};

const segment = PAYLOAD_SEGMENT.source.replace(/^\^|\$$/g, "");
const operators = Object.keys(PAYLOAD_OPERATORS).join("|");

const FILTER_DESCRIPTION = [
  "Payload filters: any number of `payload.<path>=[not.]<operator>.<value>` parameters (at most 50), all of which must hold.",
  `\`<path>\` is one to ${MAX_PATH_DEPTH} object keys separated by dots (\`payload.customer.city\`), each made of letters, digits and \`_\`, not starting with a digit. Operators:`,
  ...Object.entries(PAYLOAD_OPERATORS).map(
    ([op, { meaning, example }]) => `- \`${op}\`: ${meaning}, e.g. \`${example[0]}=${example[1]}\``,
  ),
  "`not.` before the operator matches exactly the records the condition does not, records without the field included: `payload.status=not.in.(paid,shipped)`.",
  "Percent-encode reserved characters in values (`+` as `%2B`, `&` as `%26`, `#` as `%23`).",
].join("\n\n");

const instant = (name: string, comparison: string, example: string): ParameterObject => ({
  name,
  in: "query",
  description:
    `Only records ${comparison} (exclusive): an ISO 8601 date (midnight UTC) or a date-time ` +
    "with a zone (`Z` or an offset; encode `+` as `%2B`).",
  schema: { type: "string" },
  examples: { instant: { summary: "An instant", value: example } },
});

/** The parameters of GET /api/v1/lake/data. Only those with an `example` go into the curl sample. */
export function recordQueryParameters(): ParameterObject[] {
  return [
    {
      name: "dataset",
      in: "query",
      description:
        "The dataset's id or name. Without it, the query spans every dataset, and a " +
        "non-administrator sees only its own records there.",
      schema: { type: "string", minLength: 1 },
      example: "orders",
    },
    {
      name: "payload.<path>",
      in: "query",
      description: FILTER_DESCRIPTION,
      style: "form",
      explode: true,
      schema: {
        type: "object",
        propertyNames: { pattern: `^payload(\\.${segment}){1,${MAX_PATH_DEPTH}}$` },
        additionalProperties: { type: "string", pattern: `^(not\\.)?(${operators})\\.` },
        maxProperties: 50,
      },
      example: { "payload.status": "eq.paid" },
    },
    {
      name: "order",
      in: "query",
      description:
        `Sort keys, comma-separated, each \`<key>[.asc|.desc]\` (asc when omitted; at most 8): ` +
        `${SORT_COLUMNS.map((c) => `\`${c}\``).join(", ")} or \`payload.<path>\`. Records ` +
        "always end ordered by `id`, which makes pages exact. A payload key orders JSON values " +
        "by type, then value; a missing field sorts as null.",
      schema: { type: "string", default: "created_at.desc" },
      example: "payload.total.desc,created_at.desc",
    },
    {
      name: "select",
      in: "query",
      description:
        `Fields to return, comma-separated (at most 64): ${RECORD_FIELDS.map((f) => `\`${f}\``).join(", ")}, ` +
        "or `payload.<path>` for part of the payload (nested as in the record; missing paths are " +
        "left out). Without it, whole records.",
      schema: { type: "string" },
      examples: { fields: { summary: "Some fields", value: "id,created_at,payload.total" } },
    },
    {
      name: "limit",
      in: "query",
      description: "Records per page.",
      schema: { type: "integer", minimum: 1, maximum: 500, default: 50 },
      example: 20,
    },
    {
      name: "cursor",
      in: "query",
      description:
        "The `next_cursor` of the previous page, to read the next one. It is only valid with " +
        "the same `order`; empty means the first page.",
      schema: { type: "string" },
      examples: {
        next: {
          summary: "A next_cursor (default order)",
          value: encodeCursor(parseSortOrder(undefined), [
            "2024-05-01T12:00:00.000Z",
            "0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90",
          ]),
        },
      },
    },
    {
      name: "count",
      in: "query",
      description: "`exact`: also answer `total`, every matching record (costs a count).",
      schema: { type: "string", enum: ["exact"] },
      examples: { exact: { summary: "Count all matches", value: "exact" } },
    },
    {
      name: "owner",
      in: "query",
      description: "Administrators only (403 for others): only records of this owner.",
      schema: { type: "string", format: "uuid" },
      examples: { owner: { summary: "A user id", value: "7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d" } },
    },
    {
      name: "archived",
      in: "query",
      description: "Archived records: `false` hides them, `true` returns only them, `all` both.",
      schema: { type: "string", enum: ["false", "true", "all"], default: "false" },
      examples: { all: { summary: "Archived and live", value: "all" } },
    },
    instant("created_after", "created after this instant", "2024-05-01"),
    instant("created_before", "created before this instant", "2024-06-01T00:00:00Z"),
    instant("updated_after", "updated after this instant", "2024-05-01T12:00:00+02:00"),
    instant("updated_before", "updated before this instant", "2024-06-01"),
  ];
}
