import { parse } from "graphql";
import { describe, expect, it } from "vitest";

import { answeredByRecordCache } from "./record-cache-answers";

const answered = (source: string, operationName?: string) =>
  answeredByRecordCache(parse(source), operationName);

describe("answeredByRecordCache", () => {
  it("holds for records by id with only their own fields, aliased or not", () => {
    expect(answered(`query ($id: ID!) { record(id: $id) { id payload createdAt } }`)).toBe(true);
    expect(
      answered(`{ a: record(id: "1") { id } b: record(id: "2") { payload(paths: ["x"]) } }`),
    ).toBe(true);
  });

  it("does not hold with a relation, a fragment, another root field or a mutation", () => {
    expect(answered(`{ record(id: "1") { id dataset { name } } }`)).toBe(false);
    expect(answered(`{ record(id: "1") { ...F } } fragment F on Record { id }`)).toBe(false);
    expect(answered(`{ record(id: "1") { id } me { id } }`)).toBe(false);
    expect(answered(`{ ... on Query { record(id: "1") { id } } }`)).toBe(false);
    expect(answered(`{ records(dataset: "d") { nodes { id } } }`)).toBe(false);
    expect(answered(`mutation { record(id: "1") { id } }`)).toBe(false);
  });

  it("answers per operation of a document", () => {
    const source = `query A { record(id: "1") { id } } query B { me { id } }`;
    expect(answered(source, "A")).toBe(true);
    expect(answered(source, "B")).toBe(false);
  });
});
