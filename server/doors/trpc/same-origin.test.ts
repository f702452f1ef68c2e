import { describe, expect, it } from "vitest";

import { isSameOrigin } from "./same-origin";

const check = (headers: Record<string, string>, trustProxy = false) =>
  isSameOrigin(new Headers(headers), { trustProxy });

describe("isSameOrigin", () => {
  it("accepts an Origin for the addressed host, whatever the case or a default port", () => {
    expect(check({ origin: "https://lake.example", host: "lake.example" })).toBe(true);
    expect(check({ origin: "https://Lake.Example", host: "lake.example:443" })).toBe(true);
    expect(check({ origin: "http://localhost:3000", host: "localhost:3000" })).toBe(true);
  });

  it.each([
    ["another site", { origin: "https://evil.example", host: "lake.example" }],
    ["another port", { origin: "http://lake.example:8080", host: "lake.example" }],
    ["no Origin", { host: "lake.example" }],
    ["no Host", { origin: "https://lake.example" }],
    ["Origin: null", { origin: "null", host: "lake.example" }],
    ["a garbage Origin", { origin: "garbage", host: "lake.example" }],
    ["a non-http Origin", { origin: "file:///lake.example", host: "lake.example" }],
    ["a garbage Host", { origin: "https://lake.example", host: "lake example/%" }],
  ])("refuses %s (never throws)", (_name, headers) => {
    expect(check(headers)).toBe(false);
  });

  it("ignores X-Forwarded-Host unless the proxy is trusted", () => {
    const spoofed = {
      origin: "https://evil.example",
      host: "lake.example",
      "x-forwarded-host": "evil.example",
    };
    expect(check(spoofed)).toBe(false);
    expect(check({ ...spoofed, origin: "https://lake.example" })).toBe(true);

    const proxied = {
      origin: "https://lake.example",
      host: "10.0.0.5:3000",
      "x-forwarded-host": "lake.example, 10.0.0.5",
    };
    expect(check(proxied)).toBe(false);
    expect(check(proxied, true)).toBe(true);
  });
});
