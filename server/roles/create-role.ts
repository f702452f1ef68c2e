import { recordAudit } from "../audit/record-audit";
import { requireAdmin } from "../auth/authorize";
import { type Permission, type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { createRoleInputSchema, roleSummary, toRoleView, type RoleView } from "./roles.schemas";

export type CreateRoleOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "write" scope. */
  principal: Principal;
  /** 2–40 characters: lower-case letters, digits, "-" and "_", starting with a letter. Unique. */
  name: string;
  description?: string | null;
  /** At least one. */
  permissions: readonly Permission[];
  /** Holders must enroll a second factor; false when omitted. */
  requireMfa?: boolean;
  ip?: string | null;
  requestId?: string | null;
};

/** A custom role, assignable to users with setUserRoles. */
export async function createRole(options: CreateRoleOptions): Promise<RoleView> {
  const { db, principal } = options;
  requireAdmin(principal, "write");
  const parsed = createRoleInputSchema.safeParse({
    name: options.name,
    description: options.description,
    permissions: [...options.permissions],
    requireMfa: options.requireMfa,
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;

  return db.prisma.$transaction(async (tx) => {
    // skipDuplicates turns a taken name into an empty result rather than an error that would
    // abort the transaction, and holds under concurrent creation of the same name.
    const [created] = await tx.role.createManyAndReturn({
      data: [
        {
          name: input.name,
          description: input.description ?? null,
          permissions: input.permissions,
          requireMfa: input.requireMfa,
        },
      ],
      skipDuplicates: true,
    });
    if (!created) {
      throw new AppError("conflict", "A role with this name already exists.", {
        name: input.name,
      });
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "role.create",
        resource: { type: "role", id: created.id },
        summary: { after: roleSummary(created) },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return toRoleView({ ...created, _count: { users: 0 } });
  });
}
