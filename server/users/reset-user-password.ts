import { recordAudit } from "../audit/record-audit";
import { requireAdmin } from "../auth/authorize";
import { generatePassword, hashPassword } from "../auth/passwords";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import {
  resetUserPasswordInputSchema,
  toUserView,
  userViewSelect,
  type UserView,
} from "./users.schemas";

export type ResetUserPasswordOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "write" scope. */
  principal: Principal;
  /** Another user: one's own password is changed with changePassword, which asks for the current one. */
  userId: string;
  ip?: string | null;
  requestId?: string | null;
};

export type ResetUserPassword = {
  user: UserView;
  /** Shown once, to hand to the user: only its hash is stored. It must be changed at next sign-in. */
  temporaryPassword: string;
};

/**
 * For a user who lost their password: a generated one replaces it, must be changed at next
 * sign-in, and the session version is bumped so whoever may hold the old one is signed out.
 */
export async function resetUserPassword(
  options: ResetUserPasswordOptions,
): Promise<ResetUserPassword> {
  const { db, principal } = options;
  requireAdmin(principal, "write");
  const parsed = resetUserPasswordInputSchema.safeParse({ userId: options.userId });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;
  // Otherwise a hijacked admin session could take over its own account without the password.
  if (input.userId === principal.userId) {
    throw new AppError("forbidden", "Change your own password with your current one instead.", {
      reason: "self_reset",
    });
  }

  // Hashed before the transaction: argon2 is deliberately slow and must not hold a connection.
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);

  const row = await db.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: input.userId },
      select: { id: true, email: true, mustChangePassword: true },
    });
    if (!user) throw new AppError("not_found", "The user was not found.");
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 } },
      select: userViewSelect,
    });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "user.password.reset",
        resource: { type: "user", id: user.id },
        summary: {
          email: user.email,
          before: { mustChangePassword: user.mustChangePassword },
          after: { mustChangePassword: true },
          sessionsEnded: true,
        },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return updated;
  });
  return { user: toUserView(row), temporaryPassword };
}
