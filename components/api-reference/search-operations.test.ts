import { describe, expect, it } from "vitest";

import { searchOperations, type OperationIndexEntry } from "./search-operations";

const entries: OperationIndexEntry[] = [
  { id: "a", method: "get", path: "/api/v1/lake/data", summary: "Query records", tag: "Records" },
  { id: "b", method: "post", path: "/api/v1/lake/data", summary: "Create records", tag: "Records" },
  {
    id: "c",
    method: "put",
    path: "/api/v1/lake/data/{id}/embeddings/{type}",
    summary: "Write an embedding",
    tag: "Vectors",
  },
  { id: "d", method: "get", path: "/health", summary: "Liveness", tag: "System" },
];

const ids = (query: string) => searchOperations(entries, query).map((entry) => entry.id);

describe("searchOperations", () => {
  it("matches path, summary, tag and method, in any case", () => {
    expect(ids("HEALTH")).toEqual(["d"]);
    expect(ids("liveness")).toEqual(["d"]);
    expect(ids("vectors")).toEqual(["c"]);
    expect(ids("post records")).toEqual(["b"]);
  });

  it("needs every word", () => {
    expect(ids("records embedding")).toEqual([]);
    expect(ids("embeddings {id}")).toEqual(["c"]);
  });

  it("ranks path matches first", () => {
    expect(ids("data")).toEqual(["a", "b", "c"]);
    expect(ids("embedding")).toEqual(["c"]);
  });

  it("answers nothing for an empty query", () => {
    expect(ids("   ")).toEqual([]);
  });
});
