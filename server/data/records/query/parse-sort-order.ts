import { parsePayloadPath, queryParameterError } from "./query-parameter-error";
import { SORT_COLUMNS, type SortColumn, type SortTerm } from "./record-query.schemas";

const MAX_ORDER_TERMS = 8;
const DEFAULT_ORDER: SortTerm[] = [
  { kind: "column", column: "created_at", direction: "desc" },
  { kind: "column", column: "id", direction: "asc" },
];

/** `order=<key>[.asc|.desc],…` (asc when omitted); unset: newest first. Always ends with the id. */
export function parseSortOrder(value: string | undefined): SortTerm[] {
  if (value === undefined) return DEFAULT_ORDER.map((term) => ({ ...term }));
  const items = value.split(",");
  if (items.length > MAX_ORDER_TERMS) {
    throw queryParameterError("order", value, `has more than ${MAX_ORDER_TERMS} keys`);
  }
  const seen = new Set<string>();
  const order = items.map((item): SortTerm => {
    const parts = item.split(".");
    const last = parts.at(-1);
    const direction = last === "asc" || last === "desc" ? last : "asc";
    const key = last === "asc" || last === "desc" ? parts.slice(0, -1).join(".") : item;
    if (seen.has(key)) throw queryParameterError("order", value, `names "${key}" twice`);
    seen.add(key);
    if ((SORT_COLUMNS as readonly string[]).includes(key)) {
      return { kind: "column", column: key as SortColumn, direction };
    }
    if (key.startsWith("payload.")) {
      return { kind: "payload", path: parsePayloadPath(key.slice(8), "order", value), direction };
    }
    throw queryParameterError(
      "order",
      value,
      `has an unknown key "${item}" (expected created_at, updated_at, id or payload.<path>, then .asc or .desc)`,
    );
  });
  // The id makes every position unique, so a page boundary never splits or repeats rows.
  if (!seen.has("id")) order.push({ kind: "column", column: "id", direction: "asc" });
  return order;
}
