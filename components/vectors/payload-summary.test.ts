import { describe, expect, it } from "vitest";

import { describeValue, summarizePayload } from "./payload-summary";

describe("summarizePayload", () => {
  it("puts the naming field first, keeps the payload's order otherwise, and counts the rest", () => {
    const summary = summarizePayload(
      { kind: "bike", price: 1299.5, title: "Red mountain bike", stock: 3, tags: ["red"], x: 1 },
      { maxFields: 4 },
    );
    expect(summary).toEqual({
      fields: [
        { key: "title", value: "Red mountain bike" },
        { key: "kind", value: "bike" },
        { key: "price", value: "1,299.5" },
        { key: "stock", value: "3" },
      ],
      more: 2,
    });
  });

  it("flattens whitespace and clips long text", () => {
    const { fields } = summarizePayload({ text: "a\n\nlong   text ".repeat(20) }, { maxChars: 12 });
    expect(fields[0]!.value).toBe("a long text…");
  });
});

describe("describeValue", () => {
  it("says what lists, objects, booleans and nulls hold", () => {
    expect(describeValue(["a", 2, true], 40)).toBe("a, 2, true");
    expect(describeValue([{ a: 1 }, { b: 2 }], 40)).toBe("2 items");
    expect(describeValue([], 40)).toBe("0 items");
    expect(describeValue({ city: "Oslo", zip: "0150" }, 40)).toBe("{ city, zip }");
    expect(describeValue(false, 40)).toBe("no");
    expect(describeValue(null, 40)).toBe("—");
    expect(describeValue("", 40)).toBe("(empty)");
  });
});
