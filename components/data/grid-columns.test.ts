import { describe, expect, it } from "vitest";

import type { RecordRow } from "./data-types";
import { gridColumns, restOf } from "./grid-columns";

const row = (payload: Record<string, unknown>): RecordRow => ({ id: crypto.randomUUID(), payload });

describe("grid columns", () => {
  const schema = {
    type: "object",
    properties: {
      name: { type: "string" },
      total: { type: "number" },
      age: { type: ["integer", "null"] },
    },
  };

  it("orders payload columns by the schema, then keys only the page has, after the record fields", () => {
    const columns = gridColumns({
      rows: [row({ extra: 1, total: 3, id: "x" })],
      schema,
      hidden: [],
    });
    expect(columns.visible.map((c) => c.key)).toEqual([
      "created_at",
      "updated_at",
      "payload.name",
      "payload.total",
      "payload.age",
      "payload.extra",
      "payload.id",
    ]);
    // A payload `id` is its own column, in the payload group, never the record's.
    expect(columns.visible.at(-1)).toMatchObject({ group: "payload", field: "id" });
  });

  it("follows the schema's own property order, not the order the records' keys come in", () => {
    // z, a, mm as the author wrote them; payloads (jsonb) come back sorted by key length: a, z, mm.
    const written = {
      type: "object",
      properties: { z: { type: "string" }, a: { type: "number" }, mm: { type: "string" } },
    };
    const columns = gridColumns({
      rows: [row({ a: 1, z: "x", mm: "y", later: true }), row({ a: 2, first: 0, z: "w" })],
      schema: written,
      hidden: ["payload.a"],
    });
    const payloadKeys = (list: typeof columns.all) =>
      list.filter((c) => c.group === "payload").map((c) => c.field);
    expect(payloadKeys(columns.all)).toEqual(["z", "a", "mm", "later", "first"]);
    // Hiding a column leaves the others where they were.
    expect(payloadKeys(columns.visible)).toEqual(["z", "mm", "later", "first"]);
  });

  it("gives every schema property its place, even one no record on the page has", () => {
    const columns = gridColumns({
      rows: [row({ mm: "y", extra: 1 })],
      schema: {
        type: "object",
        properties: { z: {}, a: {}, mm: {} },
      },
      hidden: [],
    });
    expect(columns.visible.map((c) => c.key).slice(2)).toEqual([
      "payload.z",
      "payload.a",
      "payload.mm",
      "payload.extra",
    ]);
  });

  it("marks numbers: by the schema's type, or by every value on the page without one", () => {
    const columns = gridColumns({
      rows: [row({ n: 1, s: "1", mixed: 2 }), row({ n: 2.5, mixed: "x" })],
      schema,
      hidden: [],
    });
    const numeric = Object.fromEntries(columns.all.map((c) => [c.key, c.numeric]));
    expect(numeric).toMatchObject({
      "payload.name": false,
      "payload.total": true,
      "payload.age": true,
      "payload.n": true,
      "payload.s": false,
      "payload.mixed": false,
    });
  });

  it("leaves hidden columns out, and out of the … column too", () => {
    const rows = [row({ a: 1, b: 2, c: 3 })];
    const hidden = ["created_at", "payload.b"];
    const columns = gridColumns({ rows, schema: null, hidden, max: 1 });
    expect(columns.visible.map((c) => c.key)).toEqual(["updated_at", "payload.a"]);
    expect(columns.all).toHaveLength(5);
    expect(columns.rest).toBe(true);
    expect(restOf(rows[0]!.payload, columns, hidden)).toEqual({ c: 3 });
  });

  it("cannot sort on a key the query syntax cannot name", () => {
    const columns = gridColumns({ rows: [row({ "my key": 1 })], schema: null, hidden: [] });
    expect(columns.all.at(-1)?.sortKey).toBeNull();
  });
});
