import { recordAudit } from "../audit/record-audit";
import { requireAdmin } from "../auth/authorize";
import { generatePassword, hashPassword } from "../auth/passwords";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { AppError } from "../errors/app-error";
import { toAppError } from "../errors/to-app-error";
import { findRolesByName } from "./user-policy";
import { inviteUserInputSchema, toUserView, userViewSelect, type UserView } from "./users.schemas";

export type InviteUserOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "write" scope. */
  principal: Principal;
  /** Compared case-insensitively and stored lowercased. */
  email: string;
  name?: string | null;
  /** At least one; every name must be an existing role. */
  roleNames: readonly string[];
  ip?: string | null;
  requestId?: string | null;
};

export type InvitedUser = {
  user: UserView;
  /** Shown once, to hand to the user: only its hash is stored. It must be changed at first sign-in. */
  initialPassword: string;
};

/**
 * There is no open sign-up: an administrator invites each user, who gets a generated password
 * that must be replaced at first sign-in.
 */
export async function inviteUser(options: InviteUserOptions): Promise<InvitedUser> {
  const { db, principal } = options;
  requireAdmin(principal, "write");
  const parsed = inviteUserInputSchema.safeParse({
    email: options.email,
    name: options.name,
    roleNames: [...options.roleNames],
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;

  // Hashed before the transaction: argon2 is deliberately slow and must not hold a connection.
  const initialPassword = generatePassword();
  const passwordHash = await hashPassword(initialPassword);

  const user = await db.prisma.$transaction(async (tx) => {
    const roles = await findRolesByName(tx, input.roleNames);
    // Rows written before emails were lowercased everywhere would slip past the unique index.
    const existing = await tx.user.findFirst({
      where: { email: { equals: input.email, mode: "insensitive" } },
      select: { id: true },
    });
    // skipDuplicates turns a concurrent invitation of the same email into an empty result rather
    // than an error that would abort the transaction.
    const [created] = existing
      ? []
      : await tx.user.createManyAndReturn({
          data: [{ email: input.email, name: input.name, passwordHash, mustChangePassword: true }],
          skipDuplicates: true,
          select: { id: true },
        });
    if (!created) {
      throw new AppError("conflict", "A user with this email already exists.", {
        email: input.email,
      });
    }
    await tx.userRole.createMany({
      data: roles.map((role) => ({ userId: created.id, roleId: role.id })),
    });
    const row = await tx.user.findUniqueOrThrow({
      where: { id: created.id },
      select: userViewSelect,
    });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "user.invite",
        resource: { type: "user", id: row.id },
        summary: {
          after: {
            email: row.email,
            name: row.name,
            roles: input.roleNames,
            mustChangePassword: true,
          },
        },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return row;
  });
  return { user: toUserView(user), initialPassword };
}
