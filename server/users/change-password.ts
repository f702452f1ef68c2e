import { recordAudit } from "../audit/record-audit";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { changePasswordInputSchema } from "./users.schemas";

export type ChangePasswordOptions = {
  db: Database;
  /** Any signed-in user; the password changed is always the principal's own. */
  principal: Principal;
  /** Proves the caller knows the password, not merely holds a session or a key. */
  currentPassword: string;
  /** At least 12 characters, different from the current one. */
  newPassword: string;
  ip?: string | null;
  requestId?: string | null;
};

/**
 * Changes the principal's own password and clears the must-change flag set by an invitation or
 * a reset. The session version is bumped, so every console session, this one included, must sign
 * in again with the new password. A wrong current password changes nothing and is not audited
 * here (attempt limits belong to the route, as for sign-in).
 */
export async function changePassword(options: ChangePasswordOptions): Promise<void> {
  const { db, principal } = options;
  const parsed = changePasswordInputSchema.safeParse({
    currentPassword: options.currentPassword,
    newPassword: options.newPassword,
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;

  const user = await db.prisma.user.findUnique({
    where: { id: principal.userId },
    select: { id: true, passwordHash: true, disabledAt: true, mustChangePassword: true },
  });
  if (!user || user.disabledAt) {
    throw new AppError("unauthorized", "The account is disabled or no longer exists.");
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError("bad_request", "The current password is wrong.", {
      reason: "wrong_password",
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError("bad_request", "The new password must differ from the current one.", {
      reason: "same_password",
    });
  }
  const passwordHash = await hashPassword(input.newPassword);

  await db.prisma.$transaction(async (tx) => {
    // Conditional on the hash just verified: if the password changed meanwhile (another session,
    // an admin reset), the current password given here is no longer proof of anything.
    const changed = await tx.user.updateMany({
      where: { id: user.id, passwordHash: user.passwordHash, disabledAt: null },
      data: { passwordHash, mustChangePassword: false, sessionVersion: { increment: 1 } },
    });
    if (changed.count === 0) {
      throw new AppError("conflict", "The password was changed meanwhile; sign in again.");
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "user.password.change",
        resource: { type: "user", id: user.id },
        summary: {
          before: { mustChangePassword: user.mustChangePassword },
          after: { mustChangePassword: false },
          sessionsEnded: true,
        },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
  });
}
