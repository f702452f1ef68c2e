import { type RecordQueryItem, type RecordSelection } from "../query/record-query.schemas";

// CSV of records: one column per selected record field, one per payload field (`payload.<key>`,
// so a payload `id` never reads as the record's), and `payload_other` for payload keys that have
// no column of their own — the header is written before the rows are read, and no value may be
// lost because a key first appears on a later page.

type JsonObject = Record<string, unknown>;

const DEFAULT_FIELDS = [
  "id",
  "dataset_id",
  "owner_id",
  "archived",
  "archived_at",
  "created_at",
  "updated_at",
] as const;

export type CsvColumns = {
  fields: readonly string[];
  /** Payload paths with a column each, as `a.b`. */
  payload: readonly string[];
  /** Whether `payload_other` holds the keys without a column (the whole payload was selected). */
  other: boolean;
};

/**
 * The columns of an export: the selection when there is one; otherwise every record field and
 * the payload's top-level keys — the dataset schema's properties first, in its order, then the
 * keys of the first page that the schema does not name.
 */
export function csvColumns(options: {
  select: RecordSelection | undefined;
  schema: unknown;
  firstPage: readonly RecordQueryItem[];
}): CsvColumns {
  const { select } = options;
  if (select && select.payload !== "all") {
    return {
      fields: select.fields,
      payload: select.payload === "none" ? [] : select.payload.map((path) => path.join(".")),
      other: false,
    };
  }
  const keys = new Set(schemaProperties(options.schema));
  for (const item of options.firstPage)
    for (const key of Object.keys(item.payload ?? {})) keys.add(key);
  return { fields: select ? select.fields : DEFAULT_FIELDS, payload: [...keys], other: true };
}

/** A JSON Schema's top-level property names, in the order it keeps them. */
export function schemaProperties(schema: unknown): string[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  return Object.keys(schema.properties);
}

export function csvHeader(columns: CsvColumns): string {
  const names = [
    ...columns.fields,
    ...columns.payload.map((path) => `payload.${path}`),
    ...(columns.other ? ["payload_other"] : []),
  ];
  return csvLine(names);
}

export function csvRow(item: RecordQueryItem, columns: CsvColumns): string {
  const record = item as JsonObject;
  const payload = item.payload ?? {};
  const cells = [
    ...columns.fields.map((field) => record[field]),
    ...columns.payload.map((path) => valueAt(payload, path.split("."))),
  ];
  if (columns.other) {
    const named = new Set(columns.payload);
    const rest = Object.entries(payload).filter(([key]) => !named.has(key));
    cells.push(rest.length > 0 ? Object.fromEntries(rest) : undefined);
  }
  return csvLine(cells);
}

/** RFC 4180: comma-separated, CRLF-terminated, quoted when a cell holds `"`, `,`, CR or LF. */
function csvLine(cells: readonly unknown[]): string {
  return `${cells.map((cell) => csvField(cellText(cell))).join(",")}\r\n`;
}

/** Text as is; numbers and booleans as JSON writes them; objects and arrays as compact JSON. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function valueAt(payload: JsonObject, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const segment of path) {
    if (!isObject(value) || !Object.hasOwn(value, segment)) return undefined;
    value = value[segment];
  }
  return value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
