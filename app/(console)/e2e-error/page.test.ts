import { afterEach, describe, expect, it, vi } from "vitest";

/** The page with the environment it reads (server/env parses it once per module instance). */
async function pageWith(value: string) {
  vi.stubEnv("LAKE_E2E_ERROR_ROUTE", value);
  vi.resetModules();
  return (await import("./page")).default;
}

describe("the deliberate failure page", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(["", "0", "false"])("is not there with LAKE_E2E_ERROR_ROUTE=%j", async (value) => {
    const page = await pageWith(value);
    expect(() => page()).toThrow(
      expect.objectContaining({ digest: expect.stringContaining("404") as string }),
    );
  });

  it("fails while rendering when it is on", async () => {
    const page = await pageWith("1");
    expect(() => page()).toThrow("A deliberate failure");
  });
});
