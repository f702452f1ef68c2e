import { describe, expect, it } from "vitest";

import { buildTryItRequest, fieldKey, type TryItParameter } from "./try-it-request";

const id: TryItParameter = { name: "id", in: "path", required: true };
const limit: TryItParameter = { name: "limit", in: "query", required: false };
const filters: TryItParameter = {
  name: "filters",
  in: "query",
  required: false,
  queryString: true,
};
const idempotency: TryItParameter = { name: "Idempotency-Key", in: "header", required: false };

describe("buildTryItRequest", () => {
  it("fills the path, the query and the headers, and sends the session cookie", () => {
    const request = buildTryItRequest({
      method: "get",
      path: "/api/v1/lake/data/{id}",
      parameters: [id, limit, filters, idempotency],
      values: {
        [fieldKey(id)]: " a/b ",
        [fieldKey(limit)]: "10",
        [fieldKey(filters)]: "?payload.n=gt.1&order=payload.n.desc",
        [fieldKey(idempotency)]: "k-1",
      },
    });
    if ("error" in request) throw new Error(request.error);
    expect(request.url).toBe(
      "/api/v1/lake/data/a%2Fb?limit=10&payload.n=gt.1&order=payload.n.desc",
    );
    expect(request.init.method).toBe("GET");
    expect(request.init.credentials).toBe("same-origin");
    expect(new Headers(request.init.headers).get("idempotency-key")).toBe("k-1");
    expect(request.init.body).toBeUndefined();
  });

  it("leaves out empty optional parameters and refuses a missing required one", () => {
    const request = buildTryItRequest({
      method: "get",
      path: "/api/v1/lake/data",
      parameters: [limit],
      values: { [fieldKey(limit)]: "  " },
    });
    expect(request).toMatchObject({ url: "/api/v1/lake/data" });
    expect(
      buildTryItRequest({ method: "get", path: "/x/{id}", parameters: [id], values: {} }),
    ).toEqual({ error: "Fill in id." });
  });

  it("sends a JSON body on writes, and refuses one that is not JSON", () => {
    const request = buildTryItRequest({
      method: "post",
      path: "/api/v1/lake/datasets",
      parameters: [],
      values: {},
      body: ' {"name": "x"} ',
    });
    if ("error" in request) throw new Error(request.error);
    expect(request.init.body).toBe('{"name": "x"}');
    expect(new Headers(request.init.headers).get("content-type")).toBe("application/json");
    const bad = buildTryItRequest({
      method: "post",
      path: "/x",
      parameters: [],
      values: {},
      body: "{name:",
    });
    expect("error" in bad && bad.error).toMatch(/^The body is not valid JSON/);
  });
});
