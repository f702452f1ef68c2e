import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { databaseBackends } from "../testing/backends";
import { useTestDatabase } from "../testing/test-database";
import { bootstrapAdmin } from "./bootstrap-admin";
import { verifyPassword } from "./passwords";

describe.each(databaseBackends)("bootstrapAdmin on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  it("creates the built-in roles and an admin with a one-time password, once", async () => {
    const email = `admin-${randomUUID()}@lake.test`;
    const first = await bootstrapAdmin({ db: db(), email });
    expect(first).toMatchObject({ created: true, email });
    const password = first.created ? first.oneTimePassword! : "";
    expect(password.length).toBeGreaterThanOrEqual(16);

    const user = await db().prisma.user.findUniqueOrThrow({
      where: { email },
      include: { roles: { include: { role: true } } },
    });
    expect(user.passwordHash).not.toContain(password);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, password)).toBe(true);
    expect(user.mustChangePassword).toBe(true);
    expect(user.roles.map((r) => r.role.name)).toEqual(["admin"]);

    expect(await bootstrapAdmin({ db: db(), email: `other-${randomUUID()}@lake.test` })).toEqual({
      created: false,
    });
    const roles = await db().prisma.role.findMany({
      where: { builtIn: true },
      orderBy: { name: "asc" },
    });
    expect(roles.map((r) => [r.name, r.permissions])).toEqual([
      ["admin", ["read", "write", "delete"]],
      ["reader", ["read"]],
    ]);
  });
});

describe("bootstrapAdmin with LAKE_ADMIN_EMAIL and LAKE_ADMIN_PASSWORD", () => {
  const db = useTestDatabase(databaseBackends[0]!);

  it("uses the given password and does not force a change", async () => {
    const result = await bootstrapAdmin({
      db: db(),
      email: "Ops@Lake.Test",
      password: "correct horse battery",
    });
    expect(result).toEqual({ created: true, email: "ops@lake.test", oneTimePassword: undefined });
    const user = await db().prisma.user.findUniqueOrThrow({ where: { email: "ops@lake.test" } });
    expect(user.mustChangePassword).toBe(false);
    expect(await verifyPassword(user.passwordHash, "correct horse battery")).toBe(true);
  });
});
