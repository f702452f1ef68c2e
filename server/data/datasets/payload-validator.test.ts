import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import type { Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { compileDatasetSchema, validatePayload } from "./payload-validator";

function thrown(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error("expected the call to throw");
}

function schemaProblems(schema: unknown) {
  const error = thrown(() => compileDatasetSchema(schema));
  expect(error.code).toBe("bad_request");
  expect(error.status).toBe(400);
  expect(error.message).toBe("The dataset schema is not a valid JSON Schema.");
  return (error.details as { errors: { path: string; message: string }[] }).errors;
}

const ORDER_SCHEMA = {
  type: "object",
  properties: {
    amount: { type: "number", minimum: 0 },
    currency: { type: "string", enum: ["EUR", "USD"] },
    email: { type: "string", format: "email" },
    placed_at: { type: "string", format: "date-time" },
    address: {
      type: "object",
      properties: { zip: { type: "string", pattern: "^[0-9]{5}$" } },
      required: ["zip"],
    },
    items: {
      type: "array",
      items: {
        type: "object",
        properties: { sku: { type: "string" } },
        required: ["sku"],
        additionalProperties: false,
      },
    },
  },
  required: ["amount", "currency"],
  additionalProperties: false,
};

function dataset(jsonSchema: Prisma.JsonValue, updatedAt = new Date()) {
  return { id: randomUUID(), updatedAt, jsonSchema };
}

describe("compileDatasetSchema", () => {
  it("compiles a 2020-12 object schema, with formats", () => {
    const validate = compileDatasetSchema(ORDER_SCHEMA);
    expect(validate({ amount: 1, currency: "EUR" })).toBe(true);
    expect(compileDatasetSchema({})({ anything: true })).toBe(true);
    for (const $schema of [
      "https://json-schema.org/draft/2020-12/schema",
      "https://json-schema.org/draft/2020-12/schema#",
    ]) {
      expect(compileDatasetSchema({ $schema })).toBeTypeOf("function");
    }
  });

  it("rejects what the 2020-12 meta-schema rejects, with the paths into the schema", () => {
    const problems = schemaProblems({
      type: "object",
      properties: { amount: { type: "numbr" } },
      required: "amount",
    });
    const paths = problems.map((problem) => problem.path);
    expect(paths).toContain("/properties/amount/type");
    expect(paths).toContain("/required");
  });

  it("requires an object root", () => {
    expect(schemaProblems({ type: "array" })).toEqual([
      expect.objectContaining({ path: "/type", keyword: "type" }),
    ]);
    expect(schemaProblems({ type: ["object", "null"] })[0]?.path).toBe("/type");
    expect(schemaProblems([])[0]?.message).toBe("must be a JSON object");
    expect(schemaProblems(true)[0]?.message).toBe("must be a JSON object");
  });

  it("rejects misspelt keywords and formats rather than ignoring them", () => {
    expect(schemaProblems({ type: "object", requried: ["a"] })[0]?.message).toMatch(/requried/);
    expect(
      schemaProblems({ properties: { email: { type: "string", format: "emial" } } })[0]?.message,
    ).toMatch(/emial/);
  });

  it("rejects other drafts, remote references and broken patterns", () => {
    expect(schemaProblems({ $schema: "http://json-schema.org/draft-07/schema#" })).toEqual([
      expect.objectContaining({ path: "/$schema" }),
    ]);
    expect(schemaProblems({ $ref: "https://example.com/order.json" })[0]?.message).toMatch(
      /can't resolve reference/,
    );
    expect(
      schemaProblems({ properties: { zip: { type: "string", pattern: "([0-9]" } } }).length,
    ).toBeGreaterThan(0);
  });

  it("rejects schemas nested too deeply to compile safely", () => {
    let schema: Record<string, unknown> = { type: "string" };
    for (let level = 0; level < 5_000; level++) schema = { properties: { a: schema } };
    expect(schemaProblems(schema)[0]?.message).toMatch(/nest deeper than/);
  });

  it("compiles two schemas with the same $id (two datasets, or two versions of one)", () => {
    const schema = { $id: "https://lake.test/order", type: "object" };
    expect(compileDatasetSchema(schema)).toBeTypeOf("function");
    expect(compileDatasetSchema({ ...schema, required: ["a"] })).toBeTypeOf("function");
  });
});

describe("validatePayload", () => {
  it("accepts any payload when the dataset has no schema", () => {
    expect(() => validatePayload(dataset(null), { whatever: [1, 2, 3] })).not.toThrow();
  });

  it("accepts a payload that matches", () => {
    const payload = {
      amount: 12.5,
      currency: "EUR",
      email: "ada@example.com",
      placed_at: "2024-05-01T12:00:00Z",
      address: { zip: "75001" },
      items: [{ sku: "A-1" }],
    };
    expect(() => validatePayload(dataset(ORDER_SCHEMA), payload)).not.toThrow();
  });

  it("lists every failing path, as JSON pointers", () => {
    const error = thrown(() =>
      validatePayload(dataset(ORDER_SCHEMA), {
        amount: "12",
        email: "not-an-email",
        placed_at: "yesterday",
        address: { zip: "7500" },
        items: [{ sku: "A-1" }, { sku: 2, colour: "red" }, {}],
        coupon: "SUMMER",
        "a/b~c": 1,
      }),
    );
    expect(error.code).toBe("validation_failed");
    expect(error.status).toBe(400);
    expect(error.message).toBe("The payload does not match the dataset's schema.");
    const details = error.details as { path: string; message: string; keyword: string }[];
    expect(details.map(({ path, keyword }) => `${keyword} ${path}`).sort()).toEqual(
      [
        "type /amount",
        "required /currency",
        "format /email",
        "format /placed_at",
        "pattern /address/zip",
        "type /items/1/sku",
        "additionalProperties /items/1/colour",
        "required /items/2/sku",
        "additionalProperties /coupon",
        "additionalProperties /a~1b~0c",
      ].sort(),
    );
    expect(details).toContainEqual({ path: "/amount", message: "must be number", keyword: "type" });
    expect(details).toContainEqual({
      path: "/currency",
      message: "is required",
      keyword: "required",
    });
    expect(details).toContainEqual({
      path: "/email",
      message: 'must match format "email"',
      keyword: "format",
    });
    expect(details.find((detail) => detail.path === "/coupon")?.message).toMatch(
      /additionalProperties is false/,
    );
  });

  it("checks date-time strictly (a time zone is required)", () => {
    const schema = { properties: { at: { type: "string", format: "date-time" } } };
    const version = dataset(schema);
    expect(() => validatePayload(version, { at: "2024-05-01T12:00:00+02:00" })).not.toThrow();
    expect(thrown(() => validatePayload(version, { at: "2024-05-01T12:00:00" })).details).toEqual([
      { path: "/at", message: 'must match format "date-time"', keyword: "format" },
    ]);
  });

  it("reuses the compiled validator for one dataset version and recompiles for the next", () => {
    const strict = { type: "object", additionalProperties: false };
    const loose = { type: "object" };
    const v1 = dataset(strict, new Date("2024-01-01T00:00:00.000Z"));
    expect(() => validatePayload(v1, { extra: 1 })).toThrow(AppError);

    // Same id and updatedAt: the cached validator answers, whatever the row now carries.
    expect(() => validatePayload({ ...v1, jsonSchema: loose }, { extra: 1 })).toThrow(AppError);

    // A later updatedAt is a new version: its schema applies.
    const v2 = { ...v1, jsonSchema: loose, updatedAt: new Date("2024-01-01T00:00:00.001Z") };
    expect(() => validatePayload(v2, { extra: 1 })).not.toThrow();
  });

  it("reports a dataset whose stored schema is invalid as a schema problem", () => {
    const error = thrown(() => validatePayload(dataset({ type: "nope" }), {}));
    expect(error.code).toBe("bad_request");
  });
});

describe("patterns run in linear time (no ReDoS)", () => {
  it("matches a catastrophic-backtracking pattern at once", () => {
    const dataset = {
      id: crypto.randomUUID(),
      updatedAt: new Date(),
      jsonSchema: { type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } },
    };
    const started = Date.now();
    expect(() => validatePayload(dataset, { s: `${"a".repeat(50_000)}b` })).toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(() => validatePayload(dataset, { s: "aaaa" })).not.toThrow();
  });
});
