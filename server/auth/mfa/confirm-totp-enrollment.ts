import { recordAudit } from "../../audit/record-audit";
import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { type Principal } from "../principal";
import { assertCanManageOwnMfa } from "./mfa-policy";
import { replaceBackupCodes } from "./replace-backup-codes";
import { openTotpSecret } from "./stored-totp-secret";
import { verifyTotp } from "./totp";

export type ConfirmTotpEnrollmentOptions = {
  db: Database;
  principal: Principal;
  /** The 6-digit code the authenticator app shows for the pending secret. */
  code: string;
  ip?: string | null;
  requestId?: string | null;
};

/**
 * Turns MFA on once the user proves their app holds the pending secret, and hands out the backup
 * codes — the only time they exist in clear. A wrong code changes nothing.
 */
export async function confirmTotpEnrollment(
  options: ConfirmTotpEnrollmentOptions,
): Promise<{ backupCodes: string[] }> {
  const { db, principal } = options;
  assertCanManageOwnMfa(principal);
  const userId = principal.userId;

  const pending = await db.prisma.mfaSecret.findUnique({ where: { userId } });
  if (!pending) {
    throw new AppError("conflict", "No two-factor enrollment is in progress.", {
      reason: "no_pending_enrollment",
    });
  }
  if (pending.enabledAt) {
    throw new AppError("conflict", "Two-factor authentication is already enabled.", {
      reason: "mfa_already_enabled",
    });
  }
  const secret = openTotpSecret({ userId, sealed: pending.secretEncrypted });
  const step = await verifyTotp({ secret, code: options.code });
  if (step === null) {
    throw new AppError("bad_request", "Invalid verification code.", { reason: "invalid_code" });
  }

  return db.prisma.$transaction(async (tx) => {
    // Conditional on the exact secret the code was checked against: if enrollment restarted or
    // another confirm won meanwhile, this one must not enable a secret it did not verify.
    const enabled = await tx.mfaSecret.updateMany({
      where: { userId, enabledAt: null, secretEncrypted: pending.secretEncrypted },
      // The confirming code's step counts as used, so it cannot be replayed to sign in.
      data: { enabledAt: new Date(), lastUsedStep: BigInt(step) },
    });
    if (enabled.count !== 1) {
      throw new AppError("conflict", "The enrollment changed meanwhile; start it again.", {
        reason: "enrollment_changed",
      });
    }
    const { codes } = await replaceBackupCodes({ tx, userId });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "mfa.enable",
        resource: { type: "user", id: userId },
        summary: { method: "totp", backupCodes: codes.length },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return { backupCodes: codes };
  });
}
