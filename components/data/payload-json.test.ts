import { describe, expect, it } from "vitest";

import { parseJsonObject, payloadProblems, payloadTemplate, schemaProblems } from "./payload-json";

describe("parseJsonObject", () => {
  it("accepts objects and says what else it got", () => {
    expect(parseJsonObject('{ "a": 1 }')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonObject("[1]")).toMatchObject({ ok: false, message: /not an array/ });
    expect(parseJsonObject("null")).toMatchObject({ ok: false, message: /not null/ });
    expect(parseJsonObject('{ "a": ')).toMatchObject({ ok: false, message: /^Not valid JSON/ });
  });
});

describe("payloadProblems", () => {
  const failure = (details: unknown) => ({
    message: "x",
    data: { error_code: "validation_failed", details },
  });

  it("reads replace's list and create's per-payload wrapping alike", () => {
    expect(payloadProblems(failure([{ path: "/amount", message: "must be number" }]))).toEqual([
      "/amount: must be number",
    ]);
    expect(
      payloadProblems(
        failure([{ index: 0, errors: [{ path: "", message: "must have required property" }] }]),
      ),
    ).toEqual(["(whole payload): must have required property"]);
    expect(payloadProblems({ message: "x", data: { error_code: "conflict" } })).toEqual([]);
  });

  it("reads a refused dataset schema", () => {
    expect(
      schemaProblems({
        message: "x",
        data: {
          error_code: "bad_request",
          details: { errors: [{ path: "/type", message: "must be object" }] },
        },
      }),
    ).toEqual(["/type: must be object"]);
  });
});

describe("payloadTemplate", () => {
  it("fills the required properties with empty values of their type", () => {
    expect(
      payloadTemplate({
        type: "object",
        required: ["status", "amount", "tags", "kind", "other"],
        properties: {
          status: { enum: ["open", "closed"] },
          amount: { type: ["number", "null"] },
          tags: { type: "array" },
          kind: { const: "order" },
        },
      }),
    ).toEqual({ status: "open", amount: 0, tags: [], kind: "order", other: null });
    expect(payloadTemplate(null)).toEqual({});
    expect(payloadTemplate({ type: "object" })).toEqual({});
  });
});
