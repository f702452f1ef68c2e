import { type Database } from "../../db/client";
import { requireAdmin } from "../authorize";
import { type Principal } from "../principal";

export type MfaStatus = {
  enabled: boolean;
  enabledAt: Date | null;
  /** A secret was issued but not yet confirmed with a code. */
  pendingEnrollment: boolean;
  /** Unused backup codes; 0 while MFA is off. */
  backupCodesRemaining: number;
};

export type GetMfaStatusOptions = {
  db: Pick<Database, "prisma">;
  principal: Principal;
  /** Another user's status, for administrators; the principal's own when unset. */
  userId?: string;
};

export async function getMfaStatus(options: GetMfaStatusOptions): Promise<MfaStatus> {
  const { db, principal } = options;
  const userId = options.userId ?? principal.userId;
  if (userId !== principal.userId) requireAdmin(principal, "read");
  const [stored, unusedCodes] = await Promise.all([
    db.prisma.mfaSecret.findUnique({ where: { userId }, select: { enabledAt: true } }),
    db.prisma.mfaBackupCode.count({ where: { userId, usedAt: null } }),
  ]);
  const enabledAt = stored?.enabledAt ?? null;
  return {
    enabled: enabledAt !== null,
    enabledAt,
    pendingEnrollment: stored != null && enabledAt === null,
    backupCodesRemaining: enabledAt !== null ? unusedCodes : 0,
  };
}
