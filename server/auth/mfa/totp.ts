import { generate, generateSecret, generateURI, verify } from "otplib";

/**
 * The one place that knows otplib (v13: functional, async, `epochTolerance` in seconds, verify
 * returns `{ valid, timeStep }`). Everything uses its defaults — SHA-1, 6 digits, 30 s — because
 * those are what every authenticator app understands.
 */

export const TOTP_ISSUER = "Datapunk Lake";
const PERIOD_SECONDS = 30;
const SECRET_BYTES = 20;
const CODE_PATTERN = /^\d{6}$/;

/** A new random secret, base32 as authenticator apps expect (160 bits, RFC 4226's recommendation). */
export function generateTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

/** The `otpauth://totp/...` URL an authenticator app scans. */
export function totpUri(options: { secret: string; email: string }): string {
  return generateURI({ issuer: TOTP_ISSUER, label: options.email, secret: options.secret });
}

/** Digits only: apps often show codes as "123 456", and people paste them that way. */
export function normalizeTotpCode(code: string): string | null {
  const compact = code.replace(/\s+/g, "");
  return CODE_PATTERN.test(compact) ? compact : null;
}

export type VerifyTotpOptions = {
  secret: string;
  code: string;
  /** Steps at or before this one are refused: the last step already accepted (replay guard). */
  afterStep?: number;
  /** Unix seconds to verify at; now when unset. */
  epoch?: number;
};

/**
 * Checks a code against the previous, current and next 30-second step (clock drift, typing time)
 * and returns the step it matched, or null. Never throws for a malformed code.
 */
export async function verifyTotp(options: VerifyTotpOptions): Promise<number | null> {
  const token = normalizeTotpCode(options.code);
  if (token === null) return null;
  const epoch = options.epoch ?? Math.floor(Date.now() / 1000);
  // otplib throws when afterTimeStep lies beyond the window; every step in it would be refused then.
  const currentStep = Math.floor(epoch / PERIOD_SECONDS);
  if (options.afterStep !== undefined && options.afterStep >= currentStep + 1) return null;
  const result = await verify({
    secret: options.secret,
    token,
    epoch,
    epochTolerance: PERIOD_SECONDS,
    afterTimeStep: options.afterStep,
  });
  // The functional API's result type also covers HOTP, whose results carry no timeStep; `delta`
  // is the matched step's offset from the current one in both.
  return result.valid ? currentStep + result.delta : null;
}

/** The code an authenticator shows at `epoch` (Unix seconds, now when unset). For tests and tools. */
export function currentCode(secret: string, epoch?: number): Promise<string> {
  return generate({ secret, epoch: epoch ?? Math.floor(Date.now() / 1000) });
}
