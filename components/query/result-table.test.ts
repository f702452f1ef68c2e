import { describe, expect, it } from "vitest";

import { cellText, parseResponse, resultTable } from "./result-table";

describe("resultTable", () => {
  it("takes the first list under data: a connection's nodes, one row per record", () => {
    const result = {
      data: {
        records: {
          totalCount: 2,
          nodes: [
            { id: "r1", payload: { n: 1, tags: ["a"] }, dataset: { name: "orders" } },
            { id: "r2", payload: { n: 2 }, archived: true },
          ],
          pageInfo: { hasNextPage: false, endCursor: null },
        },
      },
    };
    expect(resultTable(result)).toEqual({
      path: "data.records.nodes",
      columns: ["id", "payload", "dataset", "archived"],
      rows: [
        ["r1", { n: 1, tags: ["a"] }, { name: "orders" }, undefined],
        ["r2", { n: 2 }, undefined, true],
      ],
    });
  });

  it("searches breadth-first, so a shallow list wins over one nested in an earlier field", () => {
    const result = {
      data: {
        me: { id: "u1", profile: { roles: ["admin"] } },
        datasets: [{ name: "a" }, { name: "b" }],
      },
    };
    expect(resultTable(result)).toMatchObject({
      path: "data.datasets",
      rows: [["a"], ["b"]],
    });
  });

  it("unwraps Relay edges to their nodes", () => {
    const result = {
      data: {
        records: {
          edges: [
            { cursor: "c1", node: { id: "r1" } },
            { cursor: "c2", node: { id: "r2" } },
          ],
        },
      },
    };
    expect(resultTable(result)).toEqual({
      path: "data.records.edges",
      columns: ["id"],
      rows: [["r1"], ["r2"]],
    });
  });

  it("puts a list of scalars in a value column, and keeps an empty list as no rows", () => {
    expect(resultTable({ data: { archiveData: { count: 2, ids: ["a", "b"] } } })).toEqual({
      path: "data.archiveData.ids",
      columns: ["value"],
      rows: [["a"], ["b"]],
    });
    expect(resultTable({ data: { datasets: [] } })).toEqual({
      path: "data.datasets",
      columns: [],
      rows: [],
    });
  });

  it("shows a result without a list as a single row (me, a subscription's event)", () => {
    expect(resultTable({ data: { me: { id: "u1", email: "a@b.c" } } })).toEqual({
      path: "data.me",
      columns: ["id", "email"],
      rows: [["u1", "a@b.c"]],
    });
    expect(
      resultTable({ data: { recordChanges: { offset: "7", payload: { action: "create" } } } }),
    ).toMatchObject({ path: "data.recordChanges", rows: [["7", { action: "create" }]] });
  });

  it("has nothing to show without data", () => {
    expect(resultTable(null)).toBeNull();
    expect(resultTable({ errors: [{ message: "no" }] })).toBeNull();
    expect(resultTable({ data: null, errors: [{ message: "no" }] })).toBeNull();
    expect(resultTable({ data: { record: null } })).toBeNull();
  });
});

describe("cellText", () => {
  it("shows scalars as they are and nested values as compact JSON", () => {
    expect(cellText("text")).toBe("text");
    expect(cellText(42)).toBe("42");
    expect(cellText(false)).toBe("false");
    expect(cellText(null)).toBe("null");
    expect(cellText(undefined)).toBe("");
    expect(cellText({ a: [1, { b: "c" }] })).toBe('{"a":[1,{"b":"c"}]}');
  });
});

describe("parseResponse", () => {
  it("reads the pane's JSON, and nothing while it is empty or not JSON", () => {
    expect(parseResponse('{\n  "data": {}\n}')).toEqual({ data: {} });
    expect(parseResponse("")).toBeNull();
    expect(parseResponse("Request not sent. Variables are invalid JSON")).toBeNull();
  });
});
