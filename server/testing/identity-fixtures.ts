import { randomUUID } from "node:crypto";

import { encode } from "next-auth/jwt";

import { createApiKey } from "../auth/api-keys/create-api-key";
import { bootstrapAdmin } from "../auth/bootstrap-admin";
import { loadPrincipal } from "../auth/load-principal";
import { hashPassword } from "../auth/passwords";
import { type Permission } from "../auth/principal";
import { type Database } from "../db/client";
import { env } from "../env";

export const TEST_PASSWORD = "correct horse battery staple";

/** A user with the given built-in role and a known password (roles are created if missing). */
export async function createTestUser(db: Database, role: "admin" | "reader" = "reader") {
  await bootstrapAdmin({
    db,
    email: `bootstrap-${randomUUID()}@lake.test`,
    password: TEST_PASSWORD,
  });
  const email = `${role}-${randomUUID()}@lake.test`;
  const user = await db.prisma.user.create({
    data: {
      email,
      passwordHash: await hashPassword(TEST_PASSWORD),
      roles: { create: { role: { connect: { name: role } } } },
    },
  });
  const principal = await loadPrincipal({ db, userId: user.id, via: "session" });
  return { user, email, principal };
}

export async function createTestKey(db: Database, role: "admin" | "reader", scopes: Permission[]) {
  const { principal } = await createTestUser(db, role);
  const { key, apiKey } = await createApiKey({ db, principal, name: "test", scopes });
  return { key, apiKey, principal };
}

/**
 * A user who is not an admin but may read and write (a "producer" role), with an API key: what a
 * producer of events or records looks like, for tests of per-owner rules.
 */
export async function createTestProducer(
  db: Database,
  options: { rateLimitPerHour?: number } = {},
) {
  const role = await db.prisma.role.upsert({
    where: { name: "producer" },
    create: { name: "producer", permissions: ["read", "write"] },
    update: {},
  });
  const { user } = await createTestUser(db, "reader");
  await db.prisma.userRole.create({ data: { userId: user.id, roleId: role.id } });
  const principal = await loadPrincipal({ db, userId: user.id, via: "session" });
  const { key } = await createApiKey({
    db,
    principal,
    name: "producer",
    scopes: ["read", "write"],
    rateLimitPerHour: options.rateLimitPerHour,
  });
  return { key, principal };
}

/** A console session cookie, as next-auth would set it after sign-in. */
export async function sessionCookie(userId: string, sessionVersion = 0): Promise<string> {
  const token = await encode({
    token: { sub: userId, sv: sessionVersion },
    secret: env().LAKE_AUTH_SECRET,
  });
  return `next-auth.session-token=${token}`;
}
