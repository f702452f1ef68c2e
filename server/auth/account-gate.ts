import { type DbClient } from "../db/transaction";
import { AppError } from "../errors/app-error";

export type AccountGate = {
  /** Invited users and reset passwords: nothing else until the password is changed. */
  mustChangePassword: boolean;
  mfaEnabled: boolean;
  /** A role of this user requires MFA and it is not enrolled yet: nothing else until it is. */
  mfaEnrollmentRequired: boolean;
};

export async function loadAccountGate(db: DbClient, userId: string): Promise<AccountGate> {
  const user = await db.prisma.user.findUniqueOrThrow({
    relationLoadStrategy: "join",
    where: { id: userId },
    select: {
      mustChangePassword: true,
      mfa: { select: { enabledAt: true } },
      roles: { select: { role: { select: { requireMfa: true } } } },
    },
  });
  const mfaEnabled = Boolean(user.mfa?.enabledAt);
  return {
    mustChangePassword: user.mustChangePassword,
    mfaEnabled,
    mfaEnrollmentRequired: !mfaEnabled && user.roles.some(({ role }) => role.requireMfa),
  };
}

/**
 * A password alone opens nothing but the way to finish the account: a temporary password must be
 * changed and a required MFA enrolled first — in the console (tRPC's gate) and for the API
 * (token exchange, session cookies on REST) alike.
 */
export function assertAccountReady(gate: AccountGate): void {
  if (gate.mustChangePassword) {
    throw new AppError("forbidden", "Change your password in the console first.", {
      reason: "password_change_required",
    });
  }
  if (gate.mfaEnrollmentRequired) {
    throw new AppError("forbidden", "Set up two-factor authentication in the console first.", {
      reason: "mfa_enrollment_required",
    });
  }
}
