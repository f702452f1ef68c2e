import { describe, expect, it } from "vitest";

import { isRetryable, withRetryAdvice } from "./retry-advice";

describe("isRetryable", () => {
  it("offers a retry after a cancel, or a failure that is not the file's", () => {
    expect(isRetryable({ status: "cancelled", error: null })).toBe(true);
    const outage = withRetryAdvice(
      "The import failed after 3 attempts: the database was unavailable.",
    );
    expect(outage).toMatch(/unavailable\. Retry the import\.$/);
    expect(isRetryable({ status: "failed", error: outage })).toBe(true);
  });

  it("offers none for a file that fails for what it holds, nor for a job that did not fail", () => {
    expect(isRetryable({ status: "failed", error: "The file has a header but no rows." })).toBe(
      false,
    );
    expect(isRetryable({ status: "failed", error: null })).toBe(false);
    expect(isRetryable({ status: "succeeded", error: null })).toBe(false);
    expect(isRetryable({ status: "running", error: withRetryAdvice("Attempt 1 failed.") })).toBe(
      false,
    );
  });
});
