import type { RecordRow } from "./data-types";
import { isPayloadPath } from "./record-query";

/** How many payload keys get a column of their own; the rest share one JSON column. */
export const MAX_PAYLOAD_COLUMNS = 8;

export type PayloadColumns = {
  /** Top-level keys in order of first appearance on the page. */
  keys: string[];
  /** Some record on the page has keys beyond `keys`. */
  rest: boolean;
};

/** The columns for one page of records: whatever top-level keys its payloads have. */
export function payloadColumns(
  rows: readonly RecordRow[],
  max: number = MAX_PAYLOAD_COLUMNS,
): PayloadColumns {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row.payload ?? {})) seen.add(key);
  const all = [...seen];
  return { keys: all.slice(0, max), rest: all.length > max };
}

/** The payload without the keys that have columns, for the "…" column; null when empty. */
export function restOf(
  payload: Record<string, unknown> | undefined,
  keys: readonly string[],
): Record<string, unknown> | null {
  if (!payload) return null;
  const rest = Object.fromEntries(Object.entries(payload).filter(([key]) => !keys.includes(key)));
  return Object.keys(rest).length > 0 ? rest : null;
}

/** A key can be sorted on by the API only when it is a valid payload path segment. */
export function sortableKey(key: string): string | null {
  return isPayloadPath(key) && !key.includes(".") ? `payload.${key}` : null;
}
