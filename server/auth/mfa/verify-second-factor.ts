import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { hashBackupCode, normalizeBackupCode } from "./backup-codes";
import { claimTotpStep, consumeBackupCode } from "./mfa.queries";
import { openTotpSecret } from "./stored-totp-secret";
import { generateTotpSecret, verifyTotp } from "./totp";

export type SecondFactorMethod = "totp" | "backup_code";

export type VerifySecondFactorOptions = {
  db: Pick<Database, "prisma">;
  /** The user proving their second factor (at sign-in there is no principal yet). */
  userId: string;
  /** A 6-digit TOTP code or a backup code (`xxxx-xxxx`, any case, dash optional). */
  code: string;
};

// Checked against when the user has no enabled secret, so the work done — and the time it
// takes — does not tell a caller whether the account has MFA.
const DECOY_SECRET = generateTotpSecret();
const DECOY_BACKUP_CODE = "00000000";

/**
 * Checks a second factor and spends it: a TOTP step is accepted once (a replayed or concurrently
 * reused code fails), a backup code works once. Every failure is the same error whatever failed.
 * Rate limiting attempts is the caller's job (LAKE_RATE_LIMIT_AUTH_PER_15_MIN).
 */
export async function verifySecondFactor(
  options: VerifySecondFactorOptions,
): Promise<{ method: SecondFactorMethod }> {
  const { db, userId, code } = options;
  const stored = await db.prisma.mfaSecret.findUnique({
    where: { userId },
    select: { secretEncrypted: true, enabledAt: true, lastUsedStep: true },
  });
  const enabled = stored?.enabledAt != null;

  const secret = enabled
    ? openTotpSecret({ userId, sealed: stored.secretEncrypted })
    : DECOY_SECRET;
  const lastUsedStep =
    enabled && stored.lastUsedStep !== null ? Number(stored.lastUsedStep) : undefined;
  const step = await verifyTotp({ secret, code, afterStep: lastUsedStep });
  // The database decides, not the value read above: two requests with one code both get here.
  if (enabled && step !== null && (await claimTotpStep(db, { userId, step }))) {
    return { method: "totp" };
  }

  // Always hashed, even for input that cannot be a backup code, to keep the failure paths alike.
  const backupCode = normalizeBackupCode(code);
  const codeHash = hashBackupCode(backupCode ?? DECOY_BACKUP_CODE);
  if (backupCode !== null && (await consumeBackupCode(db, { userId, codeHash }))) {
    return { method: "backup_code" };
  }

  throw new AppError("unauthorized", "Invalid verification code.", { reason: "invalid_mfa_code" });
}
