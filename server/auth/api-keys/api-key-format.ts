import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API keys look like `dpl_<id>_<secret>`. The fixed `dpl_` lets secret scanners (GitHub push
 * protection, trufflehog) recognise a leaked key; `dpl_<id>` is stored as the key's `prefix` to
 * find it and shown in lists; the secret is 32 random bytes and is never stored.
 */
export const API_KEY_PREFIX = "dpl_";

// Crockford's base32, lower case: no i/l/o/u, so an id read aloud or off a screen is unambiguous.
// 32 symbols divide 256, so `byte & 31` picks each one with equal probability.
const ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const ID_LENGTH = 12;
const SECRET_BYTES = 32;

// The secret is base64url, whose alphabet includes `_`: the shape is matched whole, never split.
const KEY_PATTERN = /^(dpl_[0-9a-hjkmnp-tv-z]{12})_[A-Za-z0-9_-]{43}$/;
const KEY_LENGTH = API_KEY_PREFIX.length + ID_LENGTH + 1 + 43;

export type GeneratedApiKey = {
  /** The whole key: shown to its owner once, never stored or logged. */
  key: string;
  /** `dpl_<id>`: unique, public, used to look the key up. */
  prefix: string;
  /** What is stored instead of the key (see `hashApiKey`). */
  hash: string;
};

/**
 * A new random key. The 60-bit id is not checked for uniqueness here: a collision is vanishingly
 * rare, and the unique index on `prefix` turns one into a failed insert rather than a shared id.
 */
export function generateApiKey(): GeneratedApiKey {
  const id = Array.from(randomBytes(ID_LENGTH), (byte) => ID_ALPHABET[byte & 31]).join("");
  const prefix = `${API_KEY_PREFIX}${id}`;
  const key = `${prefix}_${randomBytes(SECRET_BYTES).toString("base64url")}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/**
 * SHA-256 of the whole key, hex. A slow password hash would add nothing: the key carries 256
 * random bits, so there is no dictionary to guess from, and a fast hash keeps every request cheap.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Compares in constant time so response timing says nothing about how much of a hash matched. */
export function apiKeyMatchesHash(key: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKey(key), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The lookup prefix of a well-formed key; null for anything else (wrong shape, length, case). */
export function parseApiKey(raw: string): { prefix: string } | null {
  if (raw.length !== KEY_LENGTH) return null;
  const prefix = KEY_PATTERN.exec(raw)?.[1];
  return prefix ? { prefix } : null;
}
