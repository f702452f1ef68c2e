import { recordAudit } from "../../audit/record-audit";
import { type Database } from "../../db/client";
import { AppError } from "../../errors/app-error";
import { type Principal } from "../principal";
import { requireAdmin } from "../authorize";

export type ResetMfaOptions = {
  db: Database;
  /** An administrator with the write permission; checked here as well as by the caller. */
  principal: Principal;
  /** The user who lost their second factor. */
  userId: string;
  ip?: string | null;
  requestId?: string | null;
};

/**
 * An administrator removes another user's MFA (secret, pending enrollment and backup codes) so
 * they can sign in with their password and enroll again. No code: the user has none left.
 */
export async function resetMfa(options: ResetMfaOptions): Promise<{ wasEnabled: boolean }> {
  const { db, principal, userId } = options;
  requireAdmin(principal, "write");
  // One's own MFA goes only with a code (disableMfa): a hijacked admin session must not shed it.
  if (userId === principal.userId) {
    throw new AppError("forbidden", "Disable your own MFA from your account, with a code.", {
      reason: "self_reset",
    });
  }

  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { id: true, mfa: { select: { enabledAt: true } } },
    });
    if (!user) throw new AppError("not_found", "User not found.");
    const backupCodes = await tx.mfaBackupCode.deleteMany({ where: { userId } });
    await tx.mfaSecret.deleteMany({ where: { userId } });
    // Whoever holds a session from before (with the lost or stolen authenticator) is signed out.
    await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    const wasEnabled = user.mfa?.enabledAt != null;
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "mfa.reset",
        resource: { type: "user", id: userId },
        summary: {
          wasEnabled,
          pendingEnrollment: user.mfa != null && !wasEnabled,
          backupCodesRemoved: backupCodes.count,
        },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return { wasEnabled };
  });
}
