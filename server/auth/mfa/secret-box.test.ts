import { afterEach, describe, expect, it, vi } from "vitest";

import { AppError } from "../../errors/app-error";
import { open, seal } from "./secret-box";

// Changes one bit of one part, decoded: editing a base64url character may only touch padding bits.
function flipBit(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[part]!, "base64url");
  bytes[0]! ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("secret box", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("round-trips, with a fresh IV every time, in the versioned compact format", () => {
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP ünïcødé";
    const first = seal(secret);
    const second = seal(secret);
    expect(first).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("JBSWY3DP");
    expect(open(first)).toBe(secret);
    expect(open(second)).toBe(secret);
    expect(open(seal(""))).toBe("");
  });

  it.each([1, 2, 3] as const)("detects a change to part %i (iv, tag, ciphertext)", (part) => {
    const tampered = flipBit(seal("a secret"), part);
    expect(() => open(tampered)).toThrow(AppError);
    expect(() => open(tampered)).toThrow("A stored secret could not be decrypted.");
  });

  it("refuses a value sealed for another context", () => {
    const sealed = seal("a secret", "user-a");
    expect(open(sealed, "user-a")).toBe("a secret");
    expect(() => open(sealed, "user-b")).toThrow(AppError);
    expect(() => open(sealed)).toThrow(AppError);
  });

  it.each([
    ["an unknown version", (s: string) => s.replace(/^v1\./, "v2.")],
    ["a missing part", (s: string) => s.split(".").slice(0, 3).join(".")],
    ["an extra part", (s: string) => `${s}.AAAA`],
    ["a truncated tag", (s: string) => s.replace(/^(v1\.[\w-]{16}\.)[\w-]{6}/, "$1")],
    ["garbage", () => "not sealed at all"],
  ])("refuses %s", (_, mangle) => {
    expect(() => open(mangle(seal("a secret")))).toThrow(AppError);
  });

  it("refuses a value sealed under another LAKE_ENCRYPTION_KEY", async () => {
    vi.stubEnv("LAKE_ENCRYPTION_KEY", "k".repeat(32));
    vi.stubEnv("LAKE_AUTH_SECRET", "a".repeat(32));
    vi.resetModules();
    const before = await import("./secret-box");
    const sealed = before.seal("a secret");
    expect(before.open(sealed)).toBe("a secret");

    // Any configured string of 32+ characters works as a key: it is hashed to 256 bits.
    vi.stubEnv("LAKE_ENCRYPTION_KEY", "another key, with spaces and punctuation!");
    vi.resetModules();
    const after = await import("./secret-box");
    expect(after.open(after.seal("a secret"))).toBe("a secret");
    expect(() => after.open(sealed)).toThrow("A stored secret could not be decrypted.");
  });
});
