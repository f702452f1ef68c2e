import { describe, expect, it } from "vitest";

import { jsonResponse, serializedBodyOf } from "./json-response";

describe("jsonResponse", () => {
  it("is a complete Response, like Response.json", async () => {
    const response = jsonResponse({ a: [1, "b"] }, { status: 201, headers: { ETag: '"x"' } });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("etag")).toBe('"x"');
    expect(await response.json()).toEqual({ a: [1, "b"] });
  });

  it("keeps a content type it is given", () => {
    const response = jsonResponse({}, { headers: { "Content-Type": "application/problem+json" } });
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("remembers the text it sent, and only for its own Responses", () => {
    const response = jsonResponse({ n: 1 });
    expect(serializedBodyOf(response)).toBe('{"n":1}');
    expect(serializedBodyOf(Response.json({ n: 1 }))).toBeUndefined();
    expect(serializedBodyOf(new Response(response.body, response))).toBeUndefined();
  });

  it("refuses what JSON cannot carry, as Response.json does", () => {
    expect(() => jsonResponse(undefined)).toThrow(TypeError);
  });
});
