/** The latest result as rows and columns, and where in the result they were found. */
export type ResultTable = {
  /** e.g. `data.records.nodes`, or `data.me` for a single object. */
  path: string;
  columns: string[];
  rows: unknown[][];
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Relay edges (`{ node, cursor }`) hold the interesting object one level down: the row is the
 * node. Only when every item has an object `node`, so a list of objects that merely have a
 * `node` field among others is left as it is.
 */
function unwrapEdges(items: unknown[]): unknown[] {
  const edges = items.length > 0 && items.every((item) => isObject(item) && isObject(item.node));
  return edges ? items.map((item) => (item as { node: unknown }).node) : items;
}

function tableOfList(path: string, list: unknown[]): ResultTable {
  const items = unwrapEdges(list);
  if (!items.every(isObject)) {
    return { path, columns: ["value"], rows: items.map((item) => [item]) };
  }
  // Columns in the order they first appear; an item without one has an empty cell there.
  const columns = [...new Set(items.flatMap((item) => Object.keys(item)))];
  return { path, columns, rows: items.map((item) => columns.map((column) => item[column])) };
}

/**
 * Flattens a GraphQL result for the table view: the first list found under `data`, searching
 * breadth-first in field order (so `data.records.nodes` before any list inside a node), one row
 * per item — Relay edges unwrapped to their nodes, scalars in a `value` column. With no list
 * anywhere, the first object field of `data` is a single row (`me`, a subscription's event).
 * Nested objects stay whole in their cell (cellText shows them as compact JSON). null when the
 * result has no data to show.
 */
export function resultTable(result: unknown): ResultTable | null {
  if (!isObject(result) || !isObject(result.data)) return null;
  const queue: [string, Record<string, unknown>][] = [["data", result.data]];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [path, object] = next;
    for (const [key, value] of Object.entries(object)) {
      if (Array.isArray(value)) return tableOfList(`${path}.${key}`, value);
      if (isObject(value)) queue.push([`${path}.${key}`, value]);
    }
  }
  const single = Object.entries(result.data).find(([, value]) => isObject(value));
  return single ? tableOfList(`data.${single[0]}`, [single[1]]) : null;
}

/** A cell as text: scalars as they are, objects and lists as compact JSON, absent as empty. */
export function cellText(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** The response pane's text (GraphiQL's formatted JSON) as a value; null while it is not JSON. */
export function parseResponse(text: string): unknown {
  if (!text.trim()) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
