import { createHmac, randomBytes } from "node:crypto";

import { env } from "../../env";

/**
 * One-time recovery codes. Crockford's base32 alphabet in lower case: 32 symbols, so each
 * 8-symbol code is exactly 40 random bits with no modulo bias, and no "o", "i", "l" or "u" to
 * confuse with 0 and 1 (those are read as 0 and 1 when typed, as Crockford specifies).
 */

export const BACKUP_CODE_COUNT = 10;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const SYMBOLS = 8;
// Keeps these hashes apart from anything else signed with LAKE_AUTH_SECRET (session cookies).
const HASH_DOMAIN = "datapunk-lake/mfa-backup-code/v1:";

/** A fresh set of codes formatted `xxxx-xxxx`; show them once, store only their hashes. */
export function generateBackupCodes(count = BACKUP_CODE_COUNT): string[] {
  return Array.from({ length: count }, generateBackupCode);
}

function generateBackupCode(): string {
  const bits = randomBytes(5).readUIntBE(0, 5); // 40 bits: safe as a JS number.
  let code = "";
  for (let index = SYMBOLS - 1; index >= 0; index--) {
    code += ALPHABET.charAt(Math.floor(bits / 2 ** (5 * index)) % 32);
  }
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * The canonical form of what a person typed (any case, with or without the dash or spaces),
 * or null when it cannot be a backup code.
 */
export function normalizeBackupCode(input: string): string | null {
  if (input.length > 32) return null;
  const compact = input
    .toLowerCase()
    .replace(/[\s-]/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1");
  if (compact.length !== SYMBOLS) return null;
  for (const symbol of compact) if (!ALPHABET.includes(symbol)) return null;
  return compact;
}

/**
 * What the database keeps: a keyed hash, so a leaked table cannot be brute-forced offline
 * (40 bits would not survive a plain hash). Takes a normalized code.
 */
export function hashBackupCode(normalized: string): string {
  return createHmac("sha256", env().LAKE_AUTH_SECRET)
    .update(HASH_DOMAIN + normalized, "utf8")
    .digest("hex");
}
