import { recordAudit } from "../../audit/record-audit";
import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { type Principal } from "../principal";
import { assertCanManageOwnMfa } from "./mfa-policy";
import { verifySecondFactor } from "./verify-second-factor";

export type DisableMfaOptions = {
  db: Database;
  principal: Principal;
  /** A current TOTP code or an unused backup code (someone who lost the phone can still opt out). */
  code: string;
  ip?: string | null;
  requestId?: string | null;
};

/** Turns the user's own MFA off: the secret and every backup code are deleted. */
export async function disableMfa(options: DisableMfaOptions): Promise<void> {
  const { db, principal } = options;
  assertCanManageOwnMfa(principal);
  const userId = principal.userId;

  const stored = await db.prisma.mfaSecret.findUnique({
    where: { userId },
    select: { enabledAt: true },
  });
  if (!stored?.enabledAt) {
    throw new AppError("conflict", "Two-factor authentication is not enabled.", {
      reason: "mfa_not_enabled",
    });
  }
  const { method } = await verifySecondFactor({ db, userId, code: options.code });

  await db.prisma.$transaction(async (tx) => {
    await tx.mfaBackupCode.deleteMany({ where: { userId } });
    await tx.mfaSecret.deleteMany({ where: { userId } });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "mfa.disable",
        resource: { type: "user", id: userId },
        summary: { verifiedWith: method },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
  });
}
