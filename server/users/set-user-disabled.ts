import { recordAudit } from "../audit/record-audit";
import { requireAdmin } from "../auth/authorize";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { lockRoleByName } from "../roles/roles.queries";
import { ADMIN_ROLE, assertAnotherEnabledAdmin } from "./user-policy";
import {
  setUserDisabledInputSchema,
  toUserView,
  userViewSelect,
  type UserView,
} from "./users.schemas";
import { invalidateApiKeyMemo } from "../auth/api-keys/authenticate-api-key";

export type SetUserDisabledOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "write" scope. */
  principal: Principal;
  userId: string;
  /** true disables the account, false enables it again. */
  disabled: boolean;
  ip?: string | null;
  requestId?: string | null;
};

/**
 * Disables or re-enables an account. Disabling bumps the session version, which ends the user's
 * console sessions; their tokens and API keys already stop working because every request loads
 * the user and refuses a disabled one. Asking for the state the user is already in is a no-op
 * with no audit entry, so a retried request does not fail.
 */
export async function setUserDisabled(options: SetUserDisabledOptions): Promise<UserView> {
  const { db, principal } = options;
  requireAdmin(principal, "write");
  const parsed = setUserDisabledInputSchema.safeParse({
    userId: options.userId,
    disabled: options.disabled,
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;
  if (input.disabled && input.userId === principal.userId) {
    throw new AppError("conflict", "You cannot disable your own account.", {
      reason: "self_lockout",
    });
  }

  const row = await db.prisma.$transaction(async (tx) => {
    await lockRoleByName(tx, ADMIN_ROLE);
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: userViewSelect });
    if (!user) throw new AppError("not_found", "The user was not found.");
    const wasDisabled = user.disabledAt !== null;
    if (wasDisabled === input.disabled) return user;
    if (input.disabled && user.roles.some(({ role }) => role.name === ADMIN_ROLE)) {
      await assertAnotherEnabledAdmin(tx, user.id);
    }

    const updated = await tx.user.update({
      where: { id: user.id },
      // Enabling leaves the version alone: the sessions it would end were ended when disabled.
      data: input.disabled
        ? { disabledAt: new Date(), sessionVersion: { increment: 1 } }
        : { disabledAt: null },
      select: userViewSelect,
    });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: input.disabled ? "user.disable" : "user.enable",
        resource: { type: "user", id: user.id },
        summary: {
          email: user.email,
          before: { disabled: wasDisabled },
          after: { disabled: input.disabled },
          ...(input.disabled ? { sessionsEnded: true } : {}),
        },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return updated;
  });
  await invalidateApiKeyMemo();
  return toUserView(row);
}
