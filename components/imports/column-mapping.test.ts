import { describe, expect, it } from "vitest";

import { initialChoices, mappingMetadata, mappingProblems } from "./column-mapping";

describe("column mapping", () => {
  it("sends nothing when every column keeps its name", () => {
    expect(mappingMetadata(initialChoices(["sku", "qty"]))).toBeNull();
  });

  it("sends only renamed and dropped columns, a dropped one as an empty field", () => {
    const choices = [
      { source: "sku", target: " product_code ", keep: true },
      { source: "qty", target: "qty", keep: true },
      { source: "note", target: "note", keep: false },
    ];
    expect(JSON.parse(mappingMetadata(choices)!)).toEqual({ sku: "product_code", note: "" });
  });

  it("refuses a kept column without a name, and two columns filling one field", () => {
    const problems = mappingProblems([
      { source: "a", target: "x", keep: true },
      { source: "b", target: "x", keep: true },
      { source: "c", target: " ", keep: true },
      { source: "d", target: "", keep: false },
    ]);
    expect([...problems.keys()]).toEqual(["b", "c"]);
    expect(problems.get("b")).toContain("“a” already goes to x");
  });
});
