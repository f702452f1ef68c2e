import { describe, expect, it } from "vitest";

import { AppError } from "../errors/app-error";
import {
  findInputProblem,
  fitsPgNumeric,
  jsonDepth,
  jsonNumbersFitPg,
  MAX_JSON_DEPTH,
  parseJsonInput,
} from "./storable-input";

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("parseJsonInput", () => {
  it("parses ordinary JSON, unicode included", () => {
    expect(parseJsonInput('{"a": [1, "é 🎉", {"b": null}]}')).toEqual({
      a: [1, "é 🎉", { b: null }],
    });
  });

  it("refuses JSON nested deeper than the limit before parsing it", () => {
    expect(parseJsonInput(nested(MAX_JSON_DEPTH))).toBeDefined();
    const error = refusal(() => parseJsonInput(nested(5_000)));
    expect(error.code).toBe("invalid_json");
    expect(error.details).toEqual({ max_depth: MAX_JSON_DEPTH });
  });

  it("does not count brackets inside strings", () => {
    expect(jsonDepth(JSON.stringify({ text: "[[[[{{{{" }))).toBe(1);
    expect(jsonDepth(JSON.stringify({ text: 'a \\" [[' }))).toBe(1);
  });

  it.each([
    ['{"payload": {"name": "a\\u0000b"}}', "payload.name", "invalid_string"],
    ['{"payload": {"a\\u0000": 1}}', "payload.a\u0000", "invalid_key"],
    ['{"payload": ["ok", "\\ud800"]}', "payload.1", "invalid_string"],
    ['{"payload": {"n": 1e400}}', "payload.n", "number_out_of_range"],
    ['{"payload": {"n": -1e400}}', "payload.n", "number_out_of_range"],
  ])("refuses %s naming %s", (text, path, code) => {
    const error = refusal(() => parseJsonInput(text));
    expect(error.code).toBe("validation_failed");
    expect(error.status).toBe(400);
    expect(error.details).toEqual([expect.objectContaining({ path, code })]);
  });

  it("keeps a well-formed surrogate pair", () => {
    expect(parseJsonInput('"\\ud83c\\udf89"')).toBe("🎉");
  });

  it("says invalid_json for text that is not JSON", () => {
    expect(refusal(() => parseJsonInput("{nope")).code).toBe("invalid_json");
  });
});

describe("findInputProblem", () => {
  it("checks keys and values at any depth, and says nothing of what PostgreSQL stores", () => {
    expect(findInputProblem({ a: [{ b: "fine", c: 1.5, d: true, e: null }] })).toBeUndefined();
    expect(findInputProblem({ path: { id: "x\u0000" } })?.path).toBe("path.id");
  });
});

describe("fitsPgNumeric", () => {
  // Each case checked against PostgreSQL 15's numeric input.
  it.each([
    ["1e-16383", true],
    ["1e-16384", false],
    ["0.5e-16383", false],
    ["0e-99999", false],
    ["1e131071", true],
    ["1e131072", false],
    ["0.001e131074", true],
    ["-2.5", true],
    [".5", true],
    ["abc", false],
  ])("%s → %s", (literal, fits) => {
    expect(fitsPgNumeric(literal)).toBe(fits);
  });

  it("checks every number of JSON text, not those inside strings", () => {
    expect(jsonNumbersFitPg('[1, {"a": 2.5e10}]')).toBe(true);
    expect(jsonNumbersFitPg('{"a": [1e-16384]}')).toBe(false);
    expect(jsonNumbersFitPg('{"a": "1e-16384"}')).toBe(true);
  });
});
