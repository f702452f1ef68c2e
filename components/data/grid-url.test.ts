import { describe, expect, it } from "vitest";

import { DEFAULT_GRID, gridSearchParams, parseGridState, type GridState } from "./grid-url";

describe("grid URL state", () => {
  it("round-trips a whole view through the query string", () => {
    const view: GridState = {
      filters: [
        { path: "status", op: "eq", negate: false, value: "paid" },
        { path: "address.city", op: "in", negate: true, value: "(Paris,Lyon)" },
        { path: "tags", op: "cs", negate: false, value: '["vip"]' },
      ],
      order: { key: "payload.total", direction: "desc" },
      archived: "all",
      limit: 100,
      count: true,
      cursors: ["eyJvIjoiYSJ9", "eyJvIjoiYiJ9"],
      hidden: ["created_at", "payload.note"],
      record: "0b5e4b9c-3f51-4b8e-9c0a-2d6f1e7a8b90",
    };
    const text = gridSearchParams(view).toString();
    expect(text).toContain("payload.status=eq.paid");
    expect(parseGridState(new URLSearchParams(text))).toEqual({ state: view, problems: [] });
  });

  it("leaves defaults out, so a fresh view has a clean address", () => {
    expect(gridSearchParams(DEFAULT_GRID).toString()).toBe("");
  });

  it("reports what it cannot read and keeps the rest", () => {
    const { state, problems } = parseGridState(
      new URLSearchParams(
        "payload.status=zz.1&payload.n=gt.5&order=nope&limit=7&pages=a,b%20c&x=1",
      ),
    );
    expect(state.filters).toEqual([{ path: "n", op: "gt", negate: false, value: "5" }]);
    expect(state.order).toBeNull();
    expect(state.limit).toBe(DEFAULT_GRID.limit);
    expect(problems.map((problem) => problem.parameter)).toEqual([
      "payload.status",
      "order",
      "limit",
      "pages",
      "x",
    ]);
  });
});
