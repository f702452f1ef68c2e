import { describe, expect, it } from "vitest";

// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- a test never reaches the browser; it checks the console's strings against the server's real parser.
import { parseRecordQuery } from "@/server/data/records/query/parse-record-query";

import {
  conditionErrors,
  conditionParameter,
  curlCommand,
  recordQueryParameters,
  toQueryString,
  type RecordQueryState,
} from "./record-query";

const base: RecordQueryState = {
  dataset: "orders",
  filters: [],
  order: null,
  archived: "false",
  limit: 25,
  count: false,
};

/** What the server reads from the string the console sends (the real parser, not a copy). */
function serverReads(state: RecordQueryState, cursor?: string) {
  return parseRecordQuery(new URLSearchParams(toQueryString(recordQueryParameters(state, cursor))));
}

describe("recordQueryParameters", () => {
  it("leaves defaults out", () => {
    expect(toQueryString(recordQueryParameters(base))).toBe("dataset=orders&limit=25");
  });

  it("writes filters, archived, order, count and cursor the server parses back", () => {
    const state: RecordQueryState = {
      ...base,
      filters: [
        { path: "payload.status", op: "eq", negate: false, value: "open" },
        { path: "amount", op: "gte", negate: false, value: "10.5" },
        { path: "tags", op: "cs", negate: true, value: ' ["red"] ' },
        { path: "city", op: "in", negate: false, value: 'Paris, New "York", a\\b' },
        { path: "name", op: "ilike", negate: false, value: "al*" },
        { path: "note", op: "eq", negate: false, value: "a&b=c + d'e" },
      ],
      order: { key: "payload.amount", direction: "desc" },
      archived: "all",
      count: true,
    };
    const query = serverReads(state);
    expect(query.dataset).toBe("orders");
    expect(query.archived).toBe("all");
    expect(query.count).toBe(true);
    expect(query.limit).toBe(25);
    expect(query.order[0]).toEqual({ kind: "payload", path: ["amount"], direction: "desc" });
    expect(query.filters).toEqual([
      { path: ["status"], negate: false, condition: { op: "eq", value: "open" } },
      {
        path: ["amount"],
        negate: false,
        condition: { op: "gte", value: "10.5", numeric: true },
      },
      { path: ["tags"], negate: true, condition: { op: "cs", json: '["red"]' } },
      {
        path: ["city"],
        negate: false,
        condition: { op: "in", values: ["Paris", 'New "York"', "a\\b"] },
      },
      { path: ["name"], negate: false, condition: { op: "ilike", pattern: "al*" } },
      { path: ["note"], negate: false, condition: { op: "eq", value: "a&b=c + d'e" } },
    ]);
  });

  it("keeps the syntax legible and shell-safe", () => {
    const text = toQueryString(
      recordQueryParameters({
        ...base,
        filters: [
          { path: "city", op: "in", negate: false, value: "a,b" },
          { path: "x", op: "cs", negate: false, value: '{"k":[1]}' },
          { path: "q", op: "eq", negate: false, value: "it's" },
        ],
      }),
    );
    expect(text).toContain("payload.city=in.(a,b)");
    expect(text).not.toMatch(/[[\]{}' ]/);
  });

  it("passes an in list already in the API's syntax through", () => {
    expect(
      conditionParameter({ path: "city", op: "in", negate: false, value: '("a,b",c)' }),
    ).toEqual(["payload.city", 'in.("a,b",c)']);
  });
});

describe("conditionErrors", () => {
  it("checks the path, JSON for cs and the is values", () => {
    expect(conditionErrors({ path: "", op: "eq", negate: false, value: "x" }).path).toBeDefined();
    expect(
      conditionErrors({ path: "1abc", op: "eq", negate: false, value: "x" }).path,
    ).toBeDefined();
    expect(conditionErrors({ path: "a.b_c", op: "eq", negate: false, value: "x" })).toEqual({});
    // An empty value is refused at the field, not sent to match nothing.
    for (const op of ["eq", "neq", "gt", "like", "ilike"] as const) {
      expect(conditionErrors({ path: "a", op, negate: false, value: "  " }).value).toMatch(
        /Type a value/,
      );
    }
    expect(
      conditionErrors({ path: "a", op: "cs", negate: false, value: "[1," }).value,
    ).toBeDefined();
    expect(
      conditionErrors({ path: "a", op: "is", negate: false, value: "maybe" }).value,
    ).toBeDefined();
    expect(conditionErrors({ path: "a", op: "is", negate: false, value: "null" })).toEqual({});
  });
});

describe("curlCommand", () => {
  it("quotes the URL for a shell and takes the token from the environment", () => {
    expect(curlCommand("http://lake:3000", "dataset=orders&limit=25")).toBe(
      "curl -s 'http://lake:3000/api/v1/lake/data?dataset=orders&limit=25' \\\n" +
        '  -H "Authorization: Bearer $LAKE_TOKEN"',
    );
  });
});
