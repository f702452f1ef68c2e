import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

import { env } from "../../env";
import { AppError } from "../../errors/app-error";

/**
 * Authenticated encryption for small secrets kept in the database (TOTP seeds). The output names
 * its version so the scheme or key can change later without guessing what a stored value is.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

// Hashing the configured string gives a 32-byte key from any ≥32-character value, whatever its
// alphabet; the configured value is already high-entropy, so a slow KDF would add nothing.
function key(): Buffer {
  return createHash("sha256").update(env().LAKE_ENCRYPTION_KEY, "utf8").digest();
}

/**
 * Encrypts `plaintext` as `v1.<iv>.<tag>.<ciphertext>` (base64url). `context` is bound as
 * associated data: a value sealed for one context (e.g. one user) does not open in another, so a
 * sealed secret copied between rows is useless.
 */
export function seal(plaintext: string, context = ""): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key(), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Decrypts a value from `seal`; throws when it was altered, sealed with another key or context. */
export function open(sealed: string, context = ""): string {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(".");
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw unreadable();
  }
  if (rest.length > 0) throw unreadable();
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  // GCM accepts shorter tags unless told otherwise; a truncated tag would weaken the check.
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw unreadable();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tagBytes);
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertext, "base64url")),
      decipher.final(),
    ]);
    return plaintext.toString("utf8");
  } catch {
    throw unreadable();
  }
}

// Says nothing about which check failed: the caller can do nothing different either way.
function unreadable(): AppError {
  return new AppError("internal_error", "A stored secret could not be decrypted.");
}
