import { describe, expect, it } from "vitest";

import { DEFAULT_SEARCH_FORM, parseWhere, toSearchInput } from "./search-request";

describe("parseWhere", () => {
  it("reads the Data page's query syntax, joined by & or by lines", () => {
    expect(parseWhere("payload.status=eq.open&payload.amount=gt.10")).toEqual({
      where: { "payload.status": "eq.open", "payload.amount": "gt.10" },
    });
    expect(parseWhere(" payload.a=eq.1 \n payload.b=not.eq.2 ")).toEqual({
      where: { "payload.a": "eq.1", "payload.b": "not.eq.2" },
    });
    expect(parseWhere("   ")).toEqual({});
  });

  it("names what is not a payload condition", () => {
    expect(parseWhere("status=eq.open").error).toMatch(/not a payload path/);
    expect(parseWhere("payload.status=").error).toMatch(/needs a condition/);
    expect(parseWhere("payload.a=eq.1&payload.a=eq.2").error).toMatch(/twice/);
  });
});

describe("toSearchInput", () => {
  it("sends only what was chosen", () => {
    expect(toSearchInput({ ...DEFAULT_SEARCH_FORM, text: " red bike " })).toEqual({
      input: { text: "red bike", type: "TEXT", metric: "cosine", k: 10 },
    });
    const full = toSearchInput({
      ...DEFAULT_SEARCH_FORM,
      by: "record",
      recordId: "6f1c1f4e-8a43-4c4b-9f0e-2d6a3b1c0d9e",
      type: "IMAGE",
      metric: "l2",
      k: "25",
      dataset: "d1",
      where: "payload.kind=eq.photo",
      minScore: "0.5",
      includeArchived: true,
    });
    expect(full.input).toEqual({
      recordId: "6f1c1f4e-8a43-4c4b-9f0e-2d6a3b1c0d9e",
      type: "IMAGE",
      metric: "l2",
      k: 25,
      filter: { dataset: "d1", where: { "payload.kind": "eq.photo" }, includeArchived: true },
      minScore: 0.5,
    });
  });

  it("reports each bad field", () => {
    const { errors } = toSearchInput({
      ...DEFAULT_SEARCH_FORM,
      by: "record",
      recordId: "42",
      k: "101",
      minScore: "high",
      where: "x=eq.1",
    });
    expect(Object.keys(errors ?? {}).sort()).toEqual(["k", "minScore", "recordId", "where"]);
  });
});
