import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import { apiKeyMatchesHash, generateApiKey, hashApiKey, parseApiKey } from "./api-key-format";

const SECRET_43 = "a".repeat(43);

describe("generateApiKey", () => {
  it("makes dpl_<id>_<secret> keys whose prefix parses back and whose hash is SHA-256 hex", () => {
    const { key, prefix, hash } = generateApiKey();
    expect(key).toMatch(/^dpl_[0-9a-hjkmnp-tv-z]{12}_[A-Za-z0-9_-]{43}$/);
    expect(prefix).toBe(key.slice(0, 16));
    expect(parseApiKey(key)).toEqual({ prefix });
    expect(hash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(hash).not.toContain(key.slice(17));
  });

  it("never repeats an id or a secret", () => {
    const keys = Array.from({ length: 2000 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.key.slice(17))).size).toBe(keys.length);
  });
});

describe("apiKeyMatchesHash", () => {
  it("accepts the key its hash was made from and nothing else", () => {
    const { key, hash } = generateApiKey();
    expect(apiKeyMatchesHash(key, hash)).toBe(true);
    expect(apiKeyMatchesHash(generateApiKey().key, hash)).toBe(false);
    expect(apiKeyMatchesHash(`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`, hash)).toBe(
      false,
    );
  });

  it("rejects, without throwing, a stored hash of the wrong length", () => {
    const { key } = generateApiKey();
    expect(apiKeyMatchesHash(key, "")).toBe(false);
    expect(apiKeyMatchesHash(key, hashApiKey(key).slice(0, 32))).toBe(false);
  });
});

describe("parseApiKey", () => {
  it("reads secrets that contain underscores (base64url) without splitting on them", () => {
    expect(parseApiKey(`dpl_0123456789ab_${"_".repeat(43)}`)).toEqual({
      prefix: "dpl_0123456789ab",
    });
  });

  it.each([
    ["empty", ""],
    ["prefix only", "dpl_"],
    ["another vendor's prefix", `dpk_0123456789ab_${SECRET_43}`],
    ["upper-case prefix", `DPL_0123456789ab_${SECRET_43}`],
    ["short id", `dpl_0123456789a_${SECRET_43}a`],
    ["id outside the alphabet", `dpl_0123456789ai_${SECRET_43}`],
    ["upper-case id", `dpl_0123456789AB_${SECRET_43}`],
    ["short secret", `dpl_0123456789ab_${"a".repeat(42)}`],
    ["long secret", `dpl_0123456789ab_${"a".repeat(44)}`],
    ["padded secret", `dpl_0123456789ab_${"a".repeat(42)}=`],
    ["standard base64 secret", `dpl_0123456789ab_${"a".repeat(42)}+`],
    ["missing separator", `dpl_0123456789ab${SECRET_43}a`],
    ["surrounding whitespace", ` dpl_0123456789ab_${SECRET_43}`],
    ["trailing newline", `dpl_0123456789ab_${SECRET_43}\n`],
    ["an Authorization header", `Bearer dpl_0123456789ab_${SECRET_43}`],
  ])("returns null for %s", (_, raw) => {
    expect(parseApiKey(raw)).toBeNull();
  });
});
