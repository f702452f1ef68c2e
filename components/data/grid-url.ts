// The Data grid's view as the page's query string, so a view survives a reload and can be shared:
// the API's own parameters for the query (payload.<path>, order, archived, limit, count), and the
// console's for what only the page needs: `pages` (the cursors that led to the page shown),
// `hide` (hidden columns) and `record` (the record open in its dialog).

import {
  DEFAULT_PAGE_SIZE,
  FILTER_OPERATORS,
  PAGE_SIZES,
  conditionParameter,
  isPayloadPath,
  type ArchivedFilter,
  type FilterCondition,
  type FilterOperator,
  type SortOrder,
} from "./record-query";

export type GridState = {
  filters: FilterCondition[];
  order: SortOrder;
  archived: ArchivedFilter;
  limit: number;
  count: boolean;
  /** The next_cursor of each page before the one shown; empty on page 1. */
  cursors: string[];
  /** Column keys (`created_at`, `payload.status`) the user has hidden. */
  hidden: string[];
  record: string | null;
};

/** What could not be read back from the address, for a notice (the rest of the view still applies). */
export type GridUrlProblem = { parameter: string; value: string };

const ORDER_KEY = /^(created_at|updated_at|id|payload\.[A-Za-z_][A-Za-z0-9_.]*)\.(asc|desc)$/;
// base64url: cursors never hold a comma, so a list of them is comma-separated.
const CURSOR = /^[A-Za-z0-9_-]+$/;

export const DEFAULT_GRID: GridState = {
  filters: [],
  order: null,
  archived: "false",
  limit: DEFAULT_PAGE_SIZE,
  count: false,
  cursors: [],
  hidden: [],
  record: null,
};

/** Reads a view from the page's query string; anything unreadable is reported and left out. */
export function parseGridState(params: URLSearchParams): {
  state: GridState;
  problems: GridUrlProblem[];
} {
  const state: GridState = { ...DEFAULT_GRID, filters: [], cursors: [], hidden: [] };
  const problems: GridUrlProblem[] = [];
  for (const [key, value] of params) {
    const refuse = () => problems.push({ parameter: key, value });
    if (key.startsWith("payload.")) {
      const condition = parseCondition(key.slice("payload.".length), value);
      if (condition) state.filters.push(condition);
      else refuse();
    } else if (key === "order") {
      const match = ORDER_KEY.exec(value);
      if (match) state.order = { key: match[1]!, direction: match[2] as "asc" | "desc" };
      else refuse();
    } else if (key === "archived") {
      if (value === "true" || value === "all" || value === "false") state.archived = value;
      else refuse();
    } else if (key === "limit") {
      const limit = Number(value);
      if ((PAGE_SIZES as readonly number[]).includes(limit)) state.limit = limit;
      else refuse();
    } else if (key === "count") {
      if (value === "exact") state.count = true;
      else refuse();
    } else if (key === "pages") {
      const cursors = value.split(",");
      if (cursors.every((cursor) => CURSOR.test(cursor))) state.cursors = cursors;
      else refuse();
    } else if (key === "hide") {
      state.hidden = value.split(",").filter(Boolean);
    } else if (key === "record") {
      state.record = value;
    } else if (key !== "dataset") {
      refuse();
    }
  }
  return { state, problems };
}

/** `[not.]<op>.<value>` under `payload.<path>`, as conditionParameter writes it. */
function parseCondition(path: string, text: string): FilterCondition | null {
  if (!isPayloadPath(path)) return null;
  const negate = text.startsWith("not.");
  const rest = negate ? text.slice(4) : text;
  const dot = rest.indexOf(".");
  const op = rest.slice(0, dot) as FilterOperator;
  if (dot < 0 || !(FILTER_OPERATORS as readonly string[]).includes(op)) return null;
  return { path, op, negate, value: rest.slice(dot + 1) };
}

/** The query string for a view: stable order, defaults left out, like the API's own. */
export function gridSearchParams(state: GridState): URLSearchParams {
  const params = new URLSearchParams();
  for (const condition of state.filters) params.append(...conditionParameter(condition));
  if (state.archived !== "false") params.set("archived", state.archived);
  if (state.order) params.set("order", `${state.order.key}.${state.order.direction}`);
  if (state.limit !== DEFAULT_PAGE_SIZE) params.set("limit", String(state.limit));
  if (state.count) params.set("count", "exact");
  if (state.cursors.length > 0) params.set("pages", state.cursors.join(","));
  if (state.hidden.length > 0) params.set("hide", state.hidden.join(","));
  if (state.record) params.set("record", state.record);
  return params;
}
