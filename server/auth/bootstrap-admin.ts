import { type Database } from "../db/client";
import { hashPassword, generatePassword } from "./passwords";

export const BUILT_IN_ROLES = [
  {
    name: "admin",
    description: "Everything, including users, roles and keys.",
    permissions: ["read", "write", "delete"],
  },
  { name: "reader", description: "Reads data it is allowed to see.", permissions: ["read"] },
] as const;

export const DEFAULT_ADMIN_EMAIL = "admin@datapunk.local";

export type BootstrapResult =
  | { created: false }
  | {
      created: true;
      email: string;
      /** Only when generated: shown once, never stored. */ oneTimePassword?: string;
    };

/**
 * First run: the built-in roles, and an admin when there are no users yet. The password comes
 * from LAKE_ADMIN_PASSWORD or is generated, printed once and must be changed at first sign-in.
 * Safe when several instances start at once: the unique email decides who creates it.
 */
export async function bootstrapAdmin(options: {
  db: Database;
  email?: string;
  password?: string;
}): Promise<BootstrapResult> {
  const { prisma } = options.db;
  for (const role of BUILT_IN_ROLES) {
    await prisma.role.upsert({
      where: { name: role.name },
      create: { ...role, permissions: [...role.permissions], builtIn: true },
      update: {},
    });
  }
  if ((await prisma.user.count()) > 0) return { created: false };

  const email = (options.email ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
  const oneTimePassword = options.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(options.password ?? oneTimePassword!);
  const admin = await prisma.role.findUniqueOrThrow({ where: { name: "admin" } });
  const result = await prisma.user.createMany({
    data: [{ email, passwordHash, mustChangePassword: !options.password }],
    skipDuplicates: true,
  });
  if (result.count === 0) return { created: false };
  const user = await prisma.user.findUniqueOrThrow({ where: { email } });
  await prisma.userRole.create({ data: { userId: user.id, roleId: admin.id } });
  return { created: true, email, oneTimePassword };
}
