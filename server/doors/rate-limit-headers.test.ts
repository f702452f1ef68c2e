import { describe, expect, it } from "vitest";

import { rateLimitHeaders } from "./rate-limit-headers";

describe("rateLimitHeaders", () => {
  it("describes an allowed request without Retry-After", () => {
    expect(
      rateLimitHeaders({ allowed: true, limit: 1000, remaining: 999, resetMs: 3_600_000 }),
    ).toEqual({
      "RateLimit-Limit": "1000",
      "RateLimit-Remaining": "999",
      "RateLimit-Reset": "3600",
    });
  });

  it("adds Retry-After to a rejected request, in whole seconds rounded up", () => {
    expect(rateLimitHeaders({ allowed: false, limit: 10, remaining: 0, resetMs: 1_001 })).toEqual({
      "RateLimit-Limit": "10",
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": "2",
      "Retry-After": "2",
    });
  });

  it("never tells a rejected client to retry in less than a second", () => {
    const headers = rateLimitHeaders({ allowed: false, limit: 10, remaining: 0, resetMs: 0 });
    expect(headers["Retry-After"]).toBe("1");
    expect(headers["RateLimit-Reset"]).toBe("0");
    expect(rateLimitHeaders({ allowed: false, limit: 1, remaining: 0, resetMs: 1 })).toMatchObject({
      "RateLimit-Reset": "1",
      "Retry-After": "1",
    });
  });

  it("reports what is left when a request costing several points is rejected", () => {
    expect(rateLimitHeaders({ allowed: false, limit: 5, remaining: 1, resetMs: 4_000 })).toEqual({
      "RateLimit-Limit": "5",
      "RateLimit-Remaining": "1",
      "RateLimit-Reset": "4",
      "Retry-After": "4",
    });
  });
});
