import { recordAudit } from "../audit/record-audit";
import { requireAdmin } from "../auth/authorize";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { lockRoleByName } from "../roles/roles.queries";
import { ADMIN_ROLE, assertAnotherEnabledAdmin, findRolesByName } from "./user-policy";
import {
  setUserRolesInputSchema,
  toUserView,
  userViewSelect,
  type UserView,
} from "./users.schemas";
import { invalidateApiKeyMemo } from "../auth/api-keys/authenticate-api-key";

export type SetUserRolesOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "write" scope. */
  principal: Principal;
  userId: string;
  /** The user's complete set of roles afterwards (not an addition); at least one. */
  roleNames: readonly string[];
  ip?: string | null;
  requestId?: string | null;
};

/**
 * Replaces a user's roles. Sessions, tokens and keys load roles on every request, so the change
 * takes effect at once without ending sessions. Setting the roles the user already has is a
 * no-op with no audit entry.
 */
export async function setUserRoles(options: SetUserRolesOptions): Promise<UserView> {
  const { db, principal } = options;
  requireAdmin(principal, "write");
  const parsed = setUserRolesInputSchema.safeParse({
    userId: options.userId,
    roleNames: [...options.roleNames],
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;

  const row = await db.prisma.$transaction(async (tx) => {
    await lockRoleByName(tx, ADMIN_ROLE);
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: userViewSelect });
    if (!user) throw new AppError("not_found", "The user was not found.");
    const roles = await findRolesByName(tx, input.roleNames);

    const before = toUserView(user).roles;
    const after = input.roleNames;
    if (before.includes(ADMIN_ROLE) && !after.includes(ADMIN_ROLE)) {
      if (user.id === principal.userId) {
        throw new AppError("conflict", "You cannot remove the admin role from yourself.", {
          reason: "self_lockout",
        });
      }
      // A disabled admin does not count as one, so demoting them leaves the count unchanged.
      if (user.disabledAt === null) await assertAnotherEnabledAdmin(tx, user.id);
    }
    if (before.length === after.length && before.every((name, i) => name === after[i])) {
      return user;
    }

    const roleIds = roles.map((role) => role.id);
    await tx.userRole.deleteMany({ where: { userId: user.id, roleId: { notIn: roleIds } } });
    await tx.userRole.createMany({
      data: roleIds.map((roleId) => ({ userId: user.id, roleId })),
      skipDuplicates: true,
    });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "user.roles.update",
        resource: { type: "user", id: user.id },
        summary: { email: user.email, before: { roles: before }, after: { roles: after } },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: userViewSelect });
  });
  await invalidateApiKeyMemo();
  return toUserView(row);
}
