import { describe, expect, it } from "vitest";

import nextConfig from "../next.config.js";
import { restoreNativeDate } from "./native-date";

describe("restoreNativeDate", () => {
  it("puts the platform's Date back after a wrapper like Next's replaced it", () => {
    const native = Date;
    function Wrapped(this: unknown, ...args: unknown[]): Date {
      return Reflect.construct(native, args, new.target ?? native) as Date;
    }
    Object.defineProperties(Wrapped, Object.getOwnPropertyDescriptors(native));
    Object.defineProperty(native.prototype, "constructor", { value: Wrapped });
    globalThis.Date = Wrapped as unknown as DateConstructor;
    try {
      restoreNativeDate();
      expect(Date).toBe(native);
      expect(new Date(0).constructor).toBe(native);
      expect(new Date(0).toISOString()).toBe("1970-01-01T00:00:00.000Z");
    } finally {
      globalThis.Date = native;
      Object.defineProperty(native.prototype, "constructor", { value: native });
    }
  });

  it("is safe only while cacheComponents, which the wrapper serves, stays off", () => {
    const config = nextConfig as { cacheComponents?: boolean; experimental?: { ppr?: unknown } };
    expect(config.cacheComponents ?? false).toBe(false);
    expect(config.experimental?.ppr ?? false).toBe(false);
  });
});
