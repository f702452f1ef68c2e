import { describe, expect, it } from "vitest";

import { cellText, csvColumns, csvField, csvHeader, csvRow } from "./record-csv";

const item = (payload: Record<string, unknown>) => ({ id: "r1", payload });

describe("record CSV", () => {
  it("quotes only what needs it, doubling quotes (RFC 4180)", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
  });

  it("writes values as text, numbers exactly, nested values as JSON, null as empty", () => {
    expect(cellText("x")).toBe("x");
    expect(cellText(0.1)).toBe("0.1");
    expect(cellText(false)).toBe("false");
    expect(cellText(null)).toBe("");
    expect(cellText(undefined)).toBe("");
    expect(cellText({ a: [1, "b"] })).toBe('{"a":[1,"b"]}');
  });

  it("puts schema properties first, then first-page keys, and keeps later keys in payload_other", () => {
    const columns = csvColumns({
      select: undefined,
      schema: { type: "object", properties: { name: {}, age: {} } },
      firstPage: [item({ age: 3, city: "Lyon" })],
    });
    expect(columns.payload).toEqual(["name", "age", "city"]);
    expect(csvHeader(columns)).toBe(
      "id,dataset_id,owner_id,archived,archived_at,created_at,updated_at," +
        "payload.name,payload.age,payload.city,payload_other\r\n",
    );
    // A key first seen on a later page has no column of its own, but is not lost.
    const row = csvRow(item({ name: "Ada", late: { x: 1 } }), columns);
    expect(row).toBe('r1,,,,,,,Ada,,,"{""late"":{""x"":1}}"\r\n');
  });

  it("follows a selection exactly: fields, then the selected payload paths", () => {
    const columns = csvColumns({
      select: { fields: ["id"], payload: [["address", "city"], ["n"]] },
      schema: { properties: { ignored: {} } },
      firstPage: [],
    });
    expect(csvHeader(columns)).toBe("id,payload.address.city,payload.n\r\n");
    expect(csvRow(item({ address: { city: "Paris, FR" }, n: 2 }), columns)).toBe(
      'r1,"Paris, FR",2\r\n',
    );
    const none = csvColumns({
      select: { fields: ["id"], payload: "none" },
      schema: null,
      firstPage: [],
    });
    expect(csvHeader(none)).toBe("id\r\n");
  });
});
