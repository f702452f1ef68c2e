import { recordAudit } from "../audit/record-audit";
import { requireAdmin } from "../auth/authorize";
import { type Permission, type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { lockRoleById } from "./roles.queries";
import {
  roleSummary,
  roleViewSelect,
  toRoleView,
  updateRoleInputSchema,
  type RoleView,
} from "./roles.schemas";
import { invalidateApiKeyMemo } from "../auth/api-keys/authenticate-api-key";

export type UpdateRoleOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "write" scope. */
  principal: Principal;
  roleId: string;
  /** Omitted fields stay as they are. A built-in role keeps its name and permissions. */
  name?: string;
  /** null or "" clears it. */
  description?: string | null;
  permissions?: readonly Permission[];
  requireMfa?: boolean;
  ip?: string | null;
  requestId?: string | null;
};

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

/**
 * Edits a role. Holders' sessions, tokens and keys pick up new permissions on their next request.
 * Built-in roles keep their name (the product recognises "admin" by it) and their permissions, but
 * their description and MFA requirement may change. A change to nothing is a no-op with no audit
 * entry.
 */
export async function updateRole(options: UpdateRoleOptions): Promise<RoleView> {
  const { db, principal } = options;
  requireAdmin(principal, "write");
  const parsed = updateRoleInputSchema.safeParse({
    roleId: options.roleId,
    name: options.name,
    description: options.description,
    permissions: options.permissions ? [...options.permissions] : undefined,
    requireMfa: options.requireMfa,
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;

  const result = await db.prisma.$transaction(async (tx) => {
    if (!(await lockRoleById(tx, input.roleId))) {
      throw new AppError("not_found", "The role was not found.");
    }
    const role = await tx.role.findUniqueOrThrow({
      where: { id: input.roleId },
      select: roleViewSelect,
    });
    const next = {
      name: input.name ?? role.name,
      description: input.description === undefined ? role.description : input.description,
      permissions: input.permissions ?? role.permissions,
      requireMfa: input.requireMfa ?? role.requireMfa,
    };
    const renamed = next.name !== role.name;
    const regranted = !sameSet(next.permissions, role.permissions);
    if (role.builtIn && (renamed || regranted)) {
      throw new AppError("forbidden", "A built-in role's name and permissions cannot change.", {
        fixed: [...(renamed ? ["name"] : []), ...(regranted ? ["permissions"] : [])],
      });
    }
    if (
      !renamed &&
      !regranted &&
      next.description === role.description &&
      next.requireMfa === role.requireMfa
    ) {
      return toRoleView(role);
    }
    const updated = await tx.role
      .update({ where: { id: role.id }, data: next, select: roleViewSelect })
      .catch((error: unknown) => {
        // Only the name is unique, so a unique violation means the new name is taken.
        if (toAppError(error).code !== "conflict") throw error;
        throw new AppError("conflict", "A role with this name already exists.", {
          name: next.name,
        });
      });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "role.update",
        resource: { type: "role", id: role.id },
        summary: { before: roleSummary(role), after: roleSummary(updated) },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return toRoleView(updated);
  });
  await invalidateApiKeyMemo();
  return result;
}
