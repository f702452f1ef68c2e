import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { bootstrapAdmin } from "../auth/bootstrap-admin";
import { type Principal } from "../auth/principal";
import { databaseBackends } from "../testing/backends";
import { useTestDatabase } from "../testing/test-database";
import { createRole } from "./create-role";
import { deleteRole } from "./delete-role";
import { listRoles } from "./list-roles";
import { updateRole } from "./update-role";
import { rejection } from "../testing/rejection";

const ADMIN_PASSWORD = "bootstrap admin password";

describe.each(databaseBackends)("roles on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  let reader: Principal;

  beforeAll(async () => {
    const email = `admin-${randomUUID()}@lake.test`;
    await bootstrapAdmin({ db: db(), email, password: ADMIN_PASSWORD });
    const adminRow = await db().prisma.user.findUniqueOrThrow({ where: { email } });
    admin = {
      userId: adminRow.id,
      email,
      roles: ["admin"],
      permissions: new Set(["read", "write", "delete"]),
      via: "session",
    };
    const readerRow = await userWith(["reader"]);
    reader = {
      userId: readerRow.id,
      email: readerRow.email,
      roles: ["reader"],
      permissions: new Set(["read"]),
      via: "session",
    };
  });

  async function userWith(roleNames: string[]) {
    const roles = await db().prisma.role.findMany({ where: { name: { in: roleNames } } });
    return db().prisma.user.create({
      data: {
        email: `user-${randomUUID()}@lake.test`,
        passwordHash: "unused",
        roles: { create: roles.map((role) => ({ roleId: role.id })) },
      },
    });
  }

  const uniqueName = () => `role-${randomUUID().slice(0, 8)}`;
  const builtIn = (name: string) => db().prisma.role.findUniqueOrThrow({ where: { name } });
  const auditCount = () => db().prisma.auditLog.count();
  const auditOf = (resourceId: string) =>
    db().prisma.auditLog.findMany({ where: { resourceId }, orderBy: { id: "asc" } });

  it("lists roles, built-in ones included, to any signed-in principal", async () => {
    const name = uniqueName();
    await createRole({ db: db(), principal: admin, name, permissions: ["read"] });
    await userWith([name]);
    const roles = await listRoles({ db: db(), principal: reader });
    const names = roles.map((role) => role.name);
    expect(names).toEqual([...names].sort());
    expect(roles.find((role) => role.name === "admin")).toMatchObject({
      builtIn: true,
      permissions: ["read", "write", "delete"],
      requireMfa: false,
    });
    expect(roles.find((role) => role.name === name)).toMatchObject({
      builtIn: false,
      permissions: ["read"],
      description: null,
      userCount: 1,
    });
  });

  it("lets only administrators change roles, and writes nothing for anyone else", async () => {
    const existing = await createRole({
      db: db(),
      principal: admin,
      name: uniqueName(),
      permissions: ["read"],
    });
    const before = await db().prisma.role.findMany({ orderBy: { id: "asc" } });
    const audits = await auditCount();

    const readerRoleId = (await builtIn("reader")).id;
    const attempts = [
      () => createRole({ db: db(), principal: reader, name: uniqueName(), permissions: ["read"] }),
      () =>
        updateRole({
          db: db(),
          principal: reader,
          roleId: existing.id,
          permissions: ["read", "write"],
        }),
      () => updateRole({ db: db(), principal: reader, roleId: readerRoleId, requireMfa: true }),
      () => deleteRole({ db: db(), principal: reader, roleId: existing.id, force: true }),
    ];
    for (const attempt of attempts) expect((await rejection(attempt())).code).toBe("forbidden");

    // An admin's API key narrowed to read and write cannot delete.
    const writeKey: Principal = {
      ...admin,
      permissions: new Set(["read", "write"]),
      via: "api_key",
    };
    const noDelete = await rejection(
      deleteRole({ db: db(), principal: writeKey, roleId: existing.id }),
    );
    expect(noDelete.code).toBe("forbidden");

    expect(await db().prisma.role.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it("creates a role with unique, valid name and permissions", async () => {
    const name = uniqueName();
    const role = await createRole({
      db: db(),
      principal: admin,
      name,
      description: "  Reads and writes sales data. ",
      permissions: ["write", "read", "write"],
      requireMfa: true,
      ip: "198.51.100.1",
    });
    expect(role.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(role).toEqual({
      id: role.id,
      name,
      description: "Reads and writes sales data.",
      permissions: ["read", "write"],
      builtIn: false,
      requireMfa: true,
      userCount: 0,
    });
    expect(await auditOf(role.id)).toMatchObject([
      {
        action: "role.create",
        actorId: admin.userId,
        resourceType: "role",
        ip: "198.51.100.1",
        summary: {
          after: {
            name,
            description: "Reads and writes sales data.",
            permissions: ["read", "write"],
            requireMfa: true,
          },
        },
      },
    ]);

    const audits = await auditCount();
    const duplicate = await rejection(
      createRole({ db: db(), principal: admin, name, permissions: ["read"] }),
    );
    expect(duplicate.code).toBe("conflict");
    const builtInName = await rejection(
      createRole({ db: db(), principal: admin, name: "admin", permissions: ["read"] }),
    );
    expect(builtInName.code).toBe("conflict");
    for (const input of [
      { name: "Sales", permissions: ["read" as const] },
      { name: "x", permissions: ["read" as const] },
      { name: "9lives", permissions: ["read" as const] },
      { name: `r${"x".repeat(40)}`, permissions: ["read" as const] },
      { name: uniqueName(), permissions: [] },
      { name: uniqueName(), permissions: ["read" as const], description: "d".repeat(201) },
    ]) {
      const invalid = await rejection(createRole({ db: db(), principal: admin, ...input }));
      expect(invalid.code).toBe("validation_failed");
    }
    expect(await auditCount()).toBe(audits);
  });

  it("updates a custom role and audits before and after", async () => {
    const role = await createRole({
      db: db(),
      principal: admin,
      name: uniqueName(),
      permissions: ["read"],
    });
    const newName = uniqueName();
    const updated = await updateRole({
      db: db(),
      principal: admin,
      roleId: role.id,
      name: newName,
      description: "Writers",
      permissions: ["read", "write"],
    });
    expect(updated).toMatchObject({
      name: newName,
      description: "Writers",
      permissions: ["read", "write"],
      requireMfa: false,
    });
    expect((await auditOf(role.id)).at(-1)).toMatchObject({
      action: "role.update",
      summary: {
        before: { name: role.name, description: null, permissions: ["read"], requireMfa: false },
        after: { name: newName, description: "Writers", permissions: ["read", "write"] },
      },
    });

    // Nothing to change: no write, no entry.
    const audits = await auditCount();
    await updateRole({
      db: db(),
      principal: admin,
      roleId: role.id,
      permissions: ["write", "read"],
    });
    expect(await auditCount()).toBe(audits);

    const taken = await rejection(
      updateRole({ db: db(), principal: admin, roleId: role.id, name: "reader" }),
    );
    expect(taken.code).toBe("conflict");
    const missing = await rejection(
      updateRole({ db: db(), principal: admin, roleId: randomUUID(), requireMfa: true }),
    );
    expect(missing.code).toBe("not_found");
    expect(await auditCount()).toBe(audits);
  });

  it("keeps built-in roles' names and permissions but lets their MFA rule change", async () => {
    const readerRole = await builtIn("reader");
    const audits = await auditCount();
    const renamed = await rejection(
      updateRole({ db: db(), principal: admin, roleId: readerRole.id, name: "viewer" }),
    );
    expect(renamed).toMatchObject({ code: "forbidden", details: { fixed: ["name"] } });
    const regranted = await rejection(
      updateRole({
        db: db(),
        principal: admin,
        roleId: readerRole.id,
        permissions: ["read", "write"],
      }),
    );
    expect(regranted).toMatchObject({ code: "forbidden", details: { fixed: ["permissions"] } });
    const adminRole = await builtIn("admin");
    const narrowed = await rejection(
      updateRole({ db: db(), principal: admin, roleId: adminRole.id, permissions: ["read"] }),
    );
    expect(narrowed.code).toBe("forbidden");
    const deleted = await rejection(
      deleteRole({ db: db(), principal: admin, roleId: adminRole.id }),
    );
    expect(deleted.code).toBe("forbidden");
    expect(await builtIn("reader")).toEqual(readerRole);
    expect(await builtIn("admin")).toEqual(adminRole);
    expect(await auditCount()).toBe(audits);

    const updated = await updateRole({
      db: db(),
      principal: admin,
      roleId: readerRole.id,
      name: "reader",
      permissions: ["read"],
      requireMfa: true,
      description: "Reads, with a second factor.",
    });
    expect(updated).toMatchObject({
      name: "reader",
      builtIn: true,
      permissions: ["read"],
      requireMfa: true,
      description: "Reads, with a second factor.",
    });
    expect((await auditOf(readerRole.id)).at(-1)).toMatchObject({
      action: "role.update",
      summary: { before: { requireMfa: false }, after: { requireMfa: true } },
    });
    await updateRole({ db: db(), principal: admin, roleId: readerRole.id, requireMfa: false });
  });

  it("deletes a role in use only when forced, taking its assignments with it", async () => {
    const role = await createRole({
      db: db(),
      principal: admin,
      name: uniqueName(),
      permissions: ["read", "write"],
    });
    const holders = [await userWith([role.name, "reader"]), await userWith([role.name])];
    const audits = await auditCount();

    const inUse = await rejection(deleteRole({ db: db(), principal: admin, roleId: role.id }));
    expect(inUse).toMatchObject({ code: "conflict", details: { user_count: 2 } });
    expect(await db().prisma.role.count({ where: { id: role.id } })).toBe(1);
    expect(await auditCount()).toBe(audits);

    expect(await deleteRole({ db: db(), principal: admin, roleId: role.id, force: true })).toEqual({
      unassignedUsers: 2,
    });
    expect(await db().prisma.role.count({ where: { id: role.id } })).toBe(0);
    expect(await db().prisma.userRole.count({ where: { roleId: role.id } })).toBe(0);
    const kept = await db().prisma.userRole.findMany({
      where: { userId: holders[0]!.id },
      include: { role: true },
    });
    expect(kept.map((assignment) => assignment.role.name)).toEqual(["reader"]);
    expect(await auditOf(role.id)).toMatchObject([
      { action: "role.create" },
      {
        action: "role.delete",
        actorId: admin.userId,
        summary: {
          before: { name: role.name, permissions: ["read", "write"] },
          forced: true,
          unassignedUserIds: holders.map((holder) => holder.id).sort(),
        },
      },
    ]);

    const unused = await createRole({
      db: db(),
      principal: admin,
      name: uniqueName(),
      permissions: ["read"],
    });
    expect(await deleteRole({ db: db(), principal: admin, roleId: unused.id })).toEqual({
      unassignedUsers: 0,
    });
    const gone = await rejection(deleteRole({ db: db(), principal: admin, roleId: unused.id }));
    expect(gone.code).toBe("not_found");
  });

  it("never writes a secret into the audit log", async () => {
    const entries = await db().prisma.auditLog.findMany();
    expect(entries.length).toBeGreaterThan(5);
    for (const entry of entries) {
      const summary = JSON.stringify(entry.summary);
      expect(summary).not.toContain(ADMIN_PASSWORD);
      expect(summary).not.toMatch(/password|argon2/i);
    }
  });
});
