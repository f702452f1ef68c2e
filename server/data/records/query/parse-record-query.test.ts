import { describe, expect, it } from "vitest";

import { AppError } from "../../../errors/app-error";
import { encodeCursor } from "./cursor";
import { parseRecordQuery } from "./parse-record-query";
import { type PayloadFilter } from "./record-query.schemas";

const parse = (query: string, options?: Parameters<typeof parseRecordQuery>[1]) =>
  parseRecordQuery(new URLSearchParams(query), options);

const filterOf = (query: string): PayloadFilter => {
  const [filter] = parse(query).filters;
  if (!filter) throw new Error("no filter parsed");
  return filter;
};

/** The AppError a query fails with. */
function failure(query: string, options?: Parameters<typeof parseRecordQuery>[1]): AppError {
  try {
    parse(query, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`"${query}" parsed`);
}

function expectBadRequest(
  query: string,
  parameter: string,
  messagePart: string | RegExp,
  options?: Parameters<typeof parseRecordQuery>[1],
) {
  const error = failure(query, options);
  expect(error.code).toBe("bad_request");
  expect(error.status).toBe(400);
  expect(error.message).toContain(`"${parameter}"`);
  expect(error.message).toMatch(messagePart);
  expect(error.details).toMatchObject({ parameter, reason: expect.any(String) as string });
  expect((error.details as { value: unknown }).value).toEqual(expect.any(String));
}

describe("parseRecordQuery defaults", () => {
  it("lists live records newest first, 50 at a time", () => {
    expect(parse("")).toEqual({
      archived: "false",
      filters: [],
      order: [
        { kind: "column", column: "created_at", direction: "desc" },
        { kind: "column", column: "id", direction: "asc" },
      ],
      limit: 50,
      count: false,
    });
  });

  it("takes the metadata filters", () => {
    const owner = "6F1C1D3E-0C55-4D6B-9A3C-2F4F6F0F7A11";
    expect(
      parse(
        `dataset=people&owner=${owner}&archived=all&created_after=2024-01-01` +
          "&created_before=2024-02-01T10:00:00Z&updated_after=2024-01-05T10:00:00.123%2B02:00" +
          "&updated_before=2024-03-01T00:00:00 05:30&limit=500&count=exact",
      ),
    ).toMatchObject({
      dataset: "people",
      owner: owner.toLowerCase(),
      archived: "all",
      createdAfter: "2024-01-01T00:00:00Z",
      createdBefore: "2024-02-01T10:00:00Z",
      updatedAfter: "2024-01-05T10:00:00.123+02:00",
      // An unencoded `+` arrives as a space.
      updatedBefore: "2024-03-01T00:00:00+05:30",
      limit: 500,
      count: true,
    });
  });

  it("honours the limit options", () => {
    expect(parse("", { defaultLimit: 10 }).limit).toBe(10);
    expect(parse("limit=20", { maxLimit: 20 }).limit).toBe(20);
    expectBadRequest("limit=21", "limit", "from 1 to 20", { maxLimit: 20 });
  });
});

describe("payload filters", () => {
  it("parses every operator", () => {
    expect(filterOf("payload.status=eq.done")).toEqual({
      path: ["status"],
      negate: false,
      condition: { op: "eq", value: "done" },
    });
    expect(filterOf("payload.a.b_2.C=neq.x.y").condition).toEqual({ op: "neq", value: "x.y" });
    expect(filterOf("payload.a.b_2.C=neq.x").path).toEqual(["a", "b_2", "C"]);
    expect(filterOf("payload.n=gt.10").condition).toEqual({ op: "gt", value: "10", numeric: true });
    expect(filterOf("payload.n=gte.-1.5e3").condition).toEqual({
      op: "gte",
      value: "-1.5e3",
      numeric: true,
    });
    expect(filterOf("payload.n=lt..5").condition).toMatchObject({ numeric: true });
    expect(filterOf("payload.at=lte.2024-05-01T00:00:00Z").condition).toEqual({
      op: "lte",
      value: "2024-05-01T00:00:00Z",
      numeric: false,
    });
    // Beyond a double, or beyond PostgreSQL's numeric (which would refuse the cast): text.
    for (const text of ["NaN", "Infinity", "1e999", "1e-16384", "0x10", "", "1 "]) {
      expect(filterOf(`payload.n=gt.${encodeURIComponent(text)}`).condition).toMatchObject({
        numeric: false,
      });
    }
    expect(filterOf("payload.tags=cs.%5B%22red%22%5D").condition).toEqual({
      op: "cs",
      json: '["red"]',
    });
    expect(filterOf("payload.name=like.Al*").condition).toEqual({ op: "like", pattern: "Al*" });
    expect(filterOf("payload.name=ilike.*50%25_off*").condition).toEqual({
      op: "ilike",
      pattern: "*50%_off*",
    });
    for (const value of ["null", "true", "false"] as const) {
      expect(filterOf(`payload.flag=is.${value}`).condition).toEqual({ op: "is", value });
    }
    expect(filterOf("payload.s=eq.").condition).toEqual({ op: "eq", value: "" });
  });

  it("negates any operator with not.", () => {
    expect(filterOf("payload.status=not.eq.done")).toEqual({
      path: ["status"],
      negate: true,
      condition: { op: "eq", value: "done" },
    });
    expect(filterOf("payload.flag=not.is.null")).toMatchObject({ negate: true });
    expect(filterOf("payload.s=eq.not.x").condition).toEqual({ op: "eq", value: "not.x" });
  });

  it("splits in lists on commas, keeping quoted commas, quotes and backslashes", () => {
    const list = (items: string) =>
      filterOf(`payload.s=in.${encodeURIComponent(items)}`).condition as { values: string[] };
    expect(list("(a,b,c)").values).toEqual(["a", "b", "c"]);
    expect(list('(a,"b,c",d)').values).toEqual(["a", "b,c", "d"]);
    expect(list('("say \\"hi\\"","back\\\\slash")').values).toEqual(['say "hi"', "back\\slash"]);
    expect(list('("",x)').values).toEqual(["", "x"]);
    expect(list("(a,)").values).toEqual(["a", ""]);
    expect(list("(a b, c)").values).toEqual(["a b", " c"]);
    expect(list("(f(x))").values).toEqual(["f(x)"]);
    expect(list("()").values).toEqual([]);
    expectBadRequest("payload.s=in.a,b", "payload.s", "in list that is not in parentheses");
    expectBadRequest('payload.s=in.("a,b)', "payload.s", "unterminated quoted item");
    expectBadRequest('payload.s=in.("a"b)', "payload.s", 'text after the quoted item "a"');
    expectBadRequest('payload.s=in.(a"b)', "payload.s", "quote inside the unquoted item");
    expectBadRequest('payload.s=in.("a\\)', "payload.s", /unterminated|ends inside/);
    const many = Array.from({ length: 501 }, (_, i) => i).join(",");
    expectBadRequest(`payload.s=in.(${many})`, "payload.s", "more than 500 items");
  });

  it("lets a field repeat with several operators", () => {
    expect(parse("payload.n=gte.1&payload.n=lt.5&payload.n=not.eq.3").filters).toHaveLength(3);
  });

  it("rejects bad operators, paths and values, naming them", () => {
    expectBadRequest("payload.status=eqq.done", "payload.status", 'unknown operator "eqq"');
    expectBadRequest("payload.status=done", "payload.status", "needs <operator>.<value>");
    expectBadRequest("payload.status=eq", "payload.status", 'needs a value after "eq."');
    expectBadRequest("payload.status=not.not.eq.x", "payload.status", 'unknown operator "not"');
    expectBadRequest("payload.flag=is.maybe", "payload.flag", '"is.maybe"');
    expectBadRequest("payload.tags=cs.red", "payload.tags", "cs value that is not valid JSON");
    expectBadRequest("payload.tags=cs.%22%5Cu0000%22", "payload.tags", "NUL");
    expectBadRequest("payload.tags=cs.1e999", "payload.tags", "number out of range");
    expectBadRequest("payload.tags=cs.%5B1e-16384%5D", "payload.tags", "number out of range");
    expectBadRequest("payload=eq.1", "payload", "needs a path");
    expectBadRequest("payload.=eq.1", "payload.", "empty payload path segment");
    expectBadRequest("payload.a..b=eq.1", "payload.a..b", "empty payload path segment");
    expectBadRequest("payload.1a=eq.1", "payload.1a", 'invalid payload path segment "1a"');
    expectBadRequest("payload.a-b=eq.1", "payload.a-b", 'segment "a-b"');
    expectBadRequest(
      "payload.a.b.c.d.e.f.g.h.i=eq.1",
      "payload.a.b.c.d.e.f.g.h.i",
      "deeper than 8",
    );
    expect(filterOf("payload.a.b.c.d.e.f.g.h=eq.1").path).toHaveLength(8);
    expectBadRequest("payload.s=eq.a%00b", "payload.s", "NUL");
    const tooMany = Array.from({ length: 51 }, () => "payload.n=eq.1").join("&");
    expectBadRequest(tooMany, "payload.n", "at most 50");
  });

  it("fails injection attempts in paths and keys, and keeps them as data in values", () => {
    for (const key of [
      "payload.a'--",
      "payload.a;drop table records",
      "payload.a)or(1=1",
      "payload.a b",
      'payload.a"',
      "payload.a[0]",
      "payload.a%27%3B%20DROP%20TABLE%20records%3B--",
    ]) {
      expect(failure(`${encodeURIComponent(key)}=eq.1`).code).toBe("bad_request");
    }
    const value = "'; DROP TABLE records; --";
    expect(filterOf(`payload.name=eq.${encodeURIComponent(value)}`).condition).toEqual({
      op: "eq",
      value,
    });
    expect(failure("order=created_at;drop table records").details).toMatchObject({
      parameter: "order",
    });
    expect(failure("select=id,(select 1)").details).toMatchObject({ parameter: "select" });
    expect(failure("id;--=1").details).toMatchObject({ parameter: "id;--" });
    expect(parse(`dataset=${encodeURIComponent("x' or '1'='1")}`).dataset).toBe("x' or '1'='1");
  });
});

describe("order", () => {
  it("takes columns and payload paths, appending the id as the tie-breaker", () => {
    expect(parse("order=payload.score.desc,created_at").order).toEqual([
      { kind: "payload", path: ["score"], direction: "desc" },
      { kind: "column", column: "created_at", direction: "asc" },
      { kind: "column", column: "id", direction: "asc" },
    ]);
    expect(parse("order=id.desc").order).toEqual([
      { kind: "column", column: "id", direction: "desc" },
    ]);
    expect(parse("order=payload.desc.asc").order[0]).toEqual({
      kind: "payload",
      path: ["desc"],
      direction: "asc",
    });
  });

  it("rejects unknown and repeated keys", () => {
    expectBadRequest("order=name.asc", "order", 'unknown key "name.asc"');
    expectBadRequest("order=created_at.up", "order", 'unknown key "created_at.up"');
    expectBadRequest("order=payload.a.asc,payload.a.desc", "order", 'names "payload.a" twice');
    expectBadRequest("order=payload.a%27.asc", "order", "invalid payload path segment");
    expectBadRequest("order=", "order", 'unknown key ""');
  });
});

describe("select", () => {
  it("takes record fields and payload paths", () => {
    expect(parse("select=id,created_at,payload.name,payload.address.city").select).toEqual({
      fields: ["id", "created_at"],
      payload: [["name"], ["address", "city"]],
    });
    expect(parse("select=payload,owner_id").select).toEqual({
      fields: ["owner_id"],
      payload: "all",
    });
    expect(parse("select=id").select).toEqual({ fields: ["id"], payload: "none" });
  });

  it("rejects unknown fields", () => {
    expectBadRequest("select=id,password", "select", 'unknown field "password"');
    expectBadRequest("select=id,,payload", "select", "empty field");
    expectBadRequest("select=payload.a-b", "select", 'invalid payload path segment "a-b"');
  });
});

describe("cursor", () => {
  const order = parse("").order;
  const values = ["2024-05-01T10:00:00.000Z", "6f1c1d3e-0c55-4d6b-9a3c-2f4f6f0f7a11"];

  it("round-trips the sort values of its order", () => {
    expect(parse(`cursor=${encodeCursor(order, values)}`).cursor).toEqual(values);
    expect(parse("cursor=").cursor).toBeUndefined();
    const byScore = parse("order=payload.score.desc").order;
    const scoreCursor = encodeCursor(byScore, ["12.50", values[1]!]);
    expect(parse(`order=payload.score.desc&cursor=${scoreCursor}`).cursor).toEqual([
      "12.50",
      values[1],
    ]);
  });

  it("rejects anything it did not make, and cursors of another order", () => {
    expectBadRequest("cursor=not*base64", "cursor", "not a cursor returned by this API");
    expectBadRequest("cursor=bm90IGpzb24", "cursor", "not a cursor returned by this API");
    const other = encodeCursor(parse("order=created_at.asc").order, values);
    expectBadRequest(`cursor=${other}`, "cursor", 'made for order "created_at.asc,id.asc"');
    const forge = (v: string[]) =>
      Buffer.from(JSON.stringify({ o: "created_at.desc,id.asc", v })).toString("base64url");
    expectBadRequest(`cursor=${forge(["yesterday", values[1]!])}`, "cursor", "not a time");
    expectBadRequest(`cursor=${forge([values[0]!, "1; drop"])}`, "cursor", "not a uuid");
    expectBadRequest(`cursor=${forge([values[0]!])}`, "cursor", "not a cursor");
    const forgeScore = Buffer.from(
      JSON.stringify({ o: "payload.score.asc,id.asc", v: ["'); drop", values[1]] }),
    ).toString("base64url");
    expectBadRequest(`order=payload.score&cursor=${forgeScore}`, "cursor", "not valid JSON");
  });
});

describe("metadata parameters", () => {
  it("reject bad values, naming the parameter", () => {
    expectBadRequest("colour=red", "colour", "not a known parameter");
    expectBadRequest("dataset=a&dataset=b", "dataset", "more than once");
    expectBadRequest("dataset=", "dataset", "is empty");
    expectBadRequest("owner=me", "owner", "not a user id");
    expectBadRequest("archived=yes", "archived", "false, true or all");
    expectBadRequest("limit=0", "limit", "from 1 to 500");
    expectBadRequest("limit=501", "limit", "from 1 to 500");
    expectBadRequest("limit=1.5", "limit", "whole number");
    expectBadRequest("limit=-1", "limit", "whole number");
    expectBadRequest("count=planned", "count", "must be exact");
    for (const value of [
      "yesterday",
      "2024-02-30",
      "2024-13-01",
      "0000-01-01",
      "2024-01-01T10:00:00",
      "2024-01-01T25:00:00Z",
      "2024-01-01T10:00:00Z; drop table records",
    ]) {
      expectBadRequest(`created_after=${encodeURIComponent(value)}`, "created_after", "ISO 8601");
    }
    expect(parse("created_after=2024-02-29").createdAfter).toBe("2024-02-29T00:00:00Z");
  });
});
