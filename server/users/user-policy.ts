import type { Prisma, Role } from "../db/generated/client";
import { AppError } from "../errors/app-error";

/** The built-in role that administers the lake (server/auth/bootstrap-admin.ts). */
export const ADMIN_ROLE = "admin";

/** The roles with these names; any unknown name fails the whole request, naming the unknown ones. */
export async function findRolesByName(
  tx: Prisma.TransactionClient,
  names: readonly string[],
): Promise<Pick<Role, "id" | "name">[]> {
  const roles = await tx.role.findMany({
    where: { name: { in: [...names] } },
    select: { id: true, name: true },
  });
  const known = new Set(roles.map((role) => role.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AppError("bad_request", "Some roles do not exist.", { unknown_roles: unknown });
  }
  return roles;
}

/**
 * Refuses a change that would leave no enabled admin, since nobody could then administer the lake
 * (nor undo the change) short of editing the database. The caller holds the admin role's row lock
 * (lockRoleByName), so two concurrent changes cannot each count the other as the one left.
 */
export async function assertAnotherEnabledAdmin(
  tx: Prisma.TransactionClient,
  userId: string,
): Promise<void> {
  const others = await tx.user.count({
    where: {
      id: { not: userId },
      disabledAt: null,
      roles: { some: { role: { name: ADMIN_ROLE } } },
    },
  });
  if (others === 0) {
    throw new AppError("conflict", "This is the last enabled administrator.", {
      reason: "last_admin",
    });
  }
}
