import { describe, expect, it } from "vitest";

import { changePayload, payloadPathOf } from "./payload-paths";

describe("changePayload", () => {
  const payload = { a: { b: 1, c: [1, 2] }, d: "x" };

  it("sets paths, creating the objects on the way, and unsets others, on a copy", () => {
    const changed = changePayload(payload, {
      set: { "a.b": 2, "e.f.g": true, d: null },
      unset: ["a.c", "missing.path"],
    });
    expect(changed).toEqual({ a: { b: 2 }, d: null, e: { f: { g: true } } });
    expect(payload).toEqual({ a: { b: 1, c: [1, 2] }, d: "x" });
  });

  it("refuses to set below a value that is not an object, naming the path", () => {
    expect(() => changePayload(payload, { set: { "d.e": 1 } })).toThrow(/"d" is not an object/);
    expect(() => changePayload(payload, { set: { "a.c.x": 1 } })).toThrow(/"a.c" is not an object/);
  });

  it("takes only the query syntax's payload paths", () => {
    expect(payloadPathOf("address.city")).toEqual(["address", "city"]);
    for (const bad of ["", "a..b", "1a", "a.b-c", Array(10).fill("x").join(".")]) {
      expect(() => payloadPathOf(bad), bad).toThrow(/not a payload path/);
    }
  });
});
