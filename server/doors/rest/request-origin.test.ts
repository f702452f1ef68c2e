import type { IncomingMessage } from "node:http";

import { describe, expect, it } from "vitest";

import { isSameOrigin, requestOrigin } from "./request-origin";

const request = (headers: Record<string, string>, encrypted = false) =>
  ({ headers, socket: { encrypted } }) as unknown as IncomingMessage;

describe("the request's origin", () => {
  it("is the socket's, or X-Forwarded-Proto/-Host's first value only behind a trusted proxy", () => {
    const forwarded = request({
      host: "10.0.0.5:3000",
      "x-forwarded-proto": "https, http",
      "x-forwarded-host": "lake.example.com",
    });
    expect(requestOrigin(forwarded, false)).toEqual({ https: false, host: "10.0.0.5:3000" });
    expect(requestOrigin(forwarded, true)).toEqual({ https: true, host: "lake.example.com" });
    expect(requestOrigin(request({ host: "lake" }, true), false).https).toBe(true);
  });

  it("matches an Origin naming the requested host, or LAKE_PUBLIC_URL", () => {
    const same = (headers: Record<string, string>, publicUrl?: string) =>
      isSameOrigin(request(headers), { trustProxy: false, publicUrl });
    expect(same({ host: "lake:3000", origin: "http://lake:3000" })).toBe(true);
    expect(same({ host: "lake:3000", origin: "http://lake:3001" })).toBe(false);
    expect(same({ host: "lake:3000", origin: "https://evil.example" })).toBe(false);
    expect(same({ host: "lake:3000" })).toBe(false);
    expect(same({ host: "lake:3000", origin: "null" })).toBe(false);
    expect(
      same({ host: "10.0.0.5", origin: "https://lake.example.com" }, "https://lake.example.com/"),
    ).toBe(true);
  });
});
