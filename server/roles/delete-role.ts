import { recordAudit } from "../audit/record-audit";
import { requireAdmin } from "../auth/authorize";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { lockRoleById } from "./roles.queries";
import { deleteRoleInputSchema, roleSummary } from "./roles.schemas";
import { invalidateApiKeyMemo } from "../auth/api-keys/authenticate-api-key";

export type DeleteRoleOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "delete" scope. */
  principal: Principal;
  roleId: string;
  /**
   * Delete even when users hold the role: they lose it and keep their other roles (a user may be
   * left with none, and then may do nothing). Without it, a role in use is a conflict.
   */
  force?: boolean;
  ip?: string | null;
  requestId?: string | null;
};

export type DeletedRole = {
  /** How many users lost the role. */
  unassignedUsers: number;
};

/** Deletes a custom role; built-in roles cannot be deleted. */
export async function deleteRole(options: DeleteRoleOptions): Promise<DeletedRole> {
  const { db, principal } = options;
  requireAdmin(principal, "delete");
  const parsed = deleteRoleInputSchema.safeParse({ roleId: options.roleId, force: options.force });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;

  const result = await db.prisma.$transaction(async (tx) => {
    // The lock waits for assignments being made concurrently and blocks new ones, so the count
    // below is the number of users who actually lose the role.
    if (!(await lockRoleById(tx, input.roleId))) {
      throw new AppError("not_found", "The role was not found.");
    }
    const role = await tx.role.findUniqueOrThrow({
      where: { id: input.roleId },
      select: {
        name: true,
        description: true,
        permissions: true,
        builtIn: true,
        requireMfa: true,
        users: { select: { userId: true }, orderBy: { userId: "asc" } },
      },
    });
    if (role.builtIn) throw new AppError("forbidden", "A built-in role cannot be deleted.");
    if (role.users.length > 0 && !input.force) {
      throw new AppError("conflict", "Users hold this role; pass force to delete it anyway.", {
        user_count: role.users.length,
      });
    }

    // The assignments go with the role (ON DELETE CASCADE).
    await tx.role.delete({ where: { id: input.roleId } });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "role.delete",
        resource: { type: "role", id: input.roleId },
        summary: {
          before: roleSummary(role),
          forced: input.force,
          unassignedUserIds: role.users.map((assignment) => assignment.userId),
        },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return { unassignedUsers: role.users.length };
  });
  await invalidateApiKeyMemo();
  return result;
}
