import type { RecordRow } from "./data-types";
import { isPayloadPath } from "./record-query";

/** How many payload fields get a column of their own; the rest share one JSON column. */
export const MAX_PAYLOAD_COLUMNS = 12;

/**
 * A column of the records grid. Record fields and payload fields are two groups, so a payload
 * `id` never reads as the record's; `key` is how the column is named in the URL (`hide=`).
 */
export type GridColumn = {
  key: string;
  group: "record" | "payload";
  /** The record field, or the top-level payload key. */
  field: string;
  /** Numbers read right-aligned, so their digits line up. */
  numeric: boolean;
  /** The API's `order` key; null when the key cannot be named in a query. */
  sortKey: string | null;
};

export type GridColumns = {
  /** Every column the view could show, in order: for the column picker. */
  all: GridColumn[];
  visible: GridColumn[];
  /** Some record has payload keys beyond the visible (and hidden) ones: the "…" column. */
  rest: boolean;
};

/** The record's own fields with a column (the id is each row's header and always shown). */
const RECORD_COLUMNS: GridColumn[] = ["created_at", "updated_at"].map((field) => ({
  key: field,
  group: "record",
  field,
  numeric: false,
  sortKey: field,
}));

type JsonSchema = Record<string, unknown>;

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A property's declared types (`type: "number"` or `["integer", "null"]`). */
function declaredTypes(property: unknown): string[] {
  if (!isObject(property)) return [];
  const type = property.type;
  return Array.isArray(type)
    ? type.filter((t) => typeof t === "string")
    : typeof type === "string"
      ? [type]
      : [];
}

/**
 * The grid's columns: the record fields, then the payload's top-level keys — the dataset
 * schema's properties in the order its author wrote them (so every page has the same columns;
 * `datasets.json_schema` is json, which keeps the text as sent), then keys only the records on
 * the page have, in order of appearance. (Property names that are array indices, "1" or "2024",
 * still come first: a JavaScript object lists those before every other key.) A column is numeric
 * when the schema says number/integer, or, without a declared type, when every value on the page
 * is a number.
 */
export function gridColumns(options: {
  rows: readonly RecordRow[];
  schema: JsonSchema | null;
  hidden: readonly string[];
  max?: number;
}): GridColumns {
  const { rows, schema, hidden } = options;
  const properties = isObject(schema?.properties) ? schema.properties : {};
  const keys = new Set(Object.keys(properties));
  for (const row of rows) for (const key of Object.keys(row.payload ?? {})) keys.add(key);

  const payload = [...keys].map((key): GridColumn => {
    const types = declaredTypes(properties[key]);
    const values = rows
      .map((row) => row.payload?.[key])
      .filter((v) => v !== undefined && v !== null);
    const numeric =
      types.length > 0
        ? types.some((t) => t === "number" || t === "integer") &&
          types.every((t) => t === "number" || t === "integer" || t === "null")
        : values.length > 0 && values.every((value) => typeof value === "number");
    return {
      key: `payload.${key}`,
      group: "payload",
      field: key,
      numeric,
      sortKey: isPayloadPath(key) ? `payload.${key}` : null,
    };
  });

  const shown = (column: GridColumn) => !hidden.includes(column.key);
  const shownPayload = payload.filter(shown);
  const max = options.max ?? MAX_PAYLOAD_COLUMNS;
  return {
    all: [...RECORD_COLUMNS, ...payload],
    visible: [...RECORD_COLUMNS.filter(shown), ...shownPayload.slice(0, max)],
    rest: shownPayload.length > max,
  };
}

/** The payload without the keys that have columns or are hidden, for "…"; null when empty. */
export function restOf(
  payload: Record<string, unknown> | undefined,
  columns: GridColumns,
  hidden: readonly string[],
): Record<string, unknown> | null {
  if (!payload) return null;
  const taken = new Set([
    ...columns.visible.filter((c) => c.group === "payload").map((c) => c.field),
    ...hidden.filter((key) => key.startsWith("payload.")).map((key) => key.slice(8)),
  ]);
  const rest = Object.fromEntries(Object.entries(payload).filter(([key]) => !taken.has(key)));
  return Object.keys(rest).length > 0 ? rest : null;
}
