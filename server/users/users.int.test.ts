import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { bootstrapAdmin } from "../auth/bootstrap-admin";
import { verifyPassword } from "../auth/passwords";
import { type Principal } from "../auth/principal";
import { databaseBackends } from "../testing/backends";
import { useTestDatabase } from "../testing/test-database";
import { changePassword } from "./change-password";
import { inviteUser } from "./invite-user";
import { listUsers } from "./list-users";
import { resetUserPassword } from "./reset-user-password";
import { setUserDisabled } from "./set-user-disabled";
import { setUserRoles } from "./set-user-roles";
import { rejection } from "../testing/rejection";

const ADMIN_PASSWORD = "bootstrap admin password";

describe.each(databaseBackends)("user administration on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  /** Every plaintext password this suite sees: none may ever appear in the audit log. */
  const secrets: string[] = [ADMIN_PASSWORD];

  beforeAll(async () => {
    const email = `admin-${randomUUID()}@lake.test`;
    await bootstrapAdmin({ db: db(), email, password: ADMIN_PASSWORD });
    const user = await db().prisma.user.findUniqueOrThrow({ where: { email } });
    admin = {
      userId: user.id,
      email,
      roles: ["admin"],
      permissions: new Set(["read", "write", "delete"]),
      via: "session",
    };
  });

  function principalOf(user: { id: string; email: string }, roles: string[]): Principal {
    const isAdmin = roles.includes("admin");
    return {
      userId: user.id,
      email: user.email,
      roles,
      permissions: new Set(isAdmin ? ["read", "write", "delete"] : ["read"]),
      via: "session",
    };
  }

  /** Invites a user through the service and returns it with its session principal. */
  async function invite(roleNames: string[] = ["reader"]) {
    const result = await inviteUser({
      db: db(),
      principal: admin,
      email: `user-${randomUUID()}@lake.test`,
      roleNames,
    });
    secrets.push(result.initialPassword);
    return { ...result, principal: principalOf(result.user, roleNames) };
  }

  async function row(userId: string) {
    return db().prisma.user.findUniqueOrThrow({
      where: { id: userId },
      include: { roles: { include: { role: true } } },
    });
  }

  const auditCount = () => db().prisma.auditLog.count();
  const auditOf = (resourceId: string) =>
    db().prisma.auditLog.findMany({ where: { resourceId }, orderBy: { id: "asc" } });

  it("invites a user with a one-time password that is stored only as an argon2id hash", async () => {
    const email = `New.User-${randomUUID()}@Lake.Test`;
    const { user, initialPassword } = await inviteUser({
      db: db(),
      principal: admin,
      email: `  ${email} `,
      name: " Ada ",
      roleNames: ["reader", "reader"],
      ip: "203.0.113.7",
      requestId: "req-invite",
    });
    secrets.push(initialPassword);

    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: "Ada",
      roles: ["reader"],
      disabled: false,
      mfaEnabled: false,
      mustChangePassword: true,
      lastSignInAt: null,
    });
    expect(Object.keys(user).sort()).toEqual(
      [
        "createdAt",
        "disabled",
        "email",
        "id",
        "lastSignInAt",
        "mfaEnabled",
        "mustChangePassword",
        "name",
        "roles",
      ].sort(),
    );
    expect(initialPassword.length).toBeGreaterThanOrEqual(16);

    const stored = await row(user.id);
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.passwordHash).not.toContain(initialPassword);
    expect(await verifyPassword(stored.passwordHash, initialPassword)).toBe(true);
    expect(stored.mustChangePassword).toBe(true);

    const [entry, ...more] = await auditOf(user.id);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actorId: admin.userId,
      actorType: "session",
      action: "user.invite",
      resourceType: "user",
      ip: "203.0.113.7",
      requestId: "req-invite",
      summary: {
        after: { email: email.toLowerCase(), name: "Ada", roles: ["reader"] },
      },
    });
    expect(JSON.stringify(entry?.summary)).not.toContain(initialPassword);
    expect(JSON.stringify(entry?.summary)).not.toContain("argon2");
  });

  it("refuses a second user with the same email in any case, writing nothing", async () => {
    const { user } = await invite();
    const [users, audits] = [await db().prisma.user.count(), await auditCount()];
    const error = await rejection(
      inviteUser({
        db: db(),
        principal: admin,
        email: user.email.toUpperCase(),
        roleNames: ["reader"],
      }),
    );
    expect(error.code).toBe("conflict");
    expect(await db().prisma.user.count()).toBe(users);
    expect(await auditCount()).toBe(audits);
  });

  it("refuses unknown roles and invalid input, writing nothing", async () => {
    const [users, audits] = [await db().prisma.user.count(), await auditCount()];
    const unknown = await rejection(
      inviteUser({
        db: db(),
        principal: admin,
        email: `user-${randomUUID()}@lake.test`,
        roleNames: ["reader", "no-such-role"],
      }),
    );
    expect(unknown.code).toBe("bad_request");
    expect(unknown.details).toEqual({ unknown_roles: ["no-such-role"] });

    for (const input of [
      { email: "not an email", roleNames: ["reader"] },
      { email: `user-${randomUUID()}@lake.test`, roleNames: [] },
      { email: `user-${randomUUID()}@lake.test`, name: "x".repeat(101), roleNames: ["reader"] },
    ]) {
      const invalid = await rejection(inviteUser({ db: db(), principal: admin, ...input }));
      expect(invalid.code).toBe("validation_failed");
    }
    expect(await db().prisma.user.count()).toBe(users);
    expect(await auditCount()).toBe(audits);
  });

  it("lets only administrators administer users, and writes nothing for anyone else", async () => {
    const reader = await invite();
    const target = await invite();
    const before = await row(target.user.id);
    const [users, audits] = [await db().prisma.user.count(), await auditCount()];
    const actor = reader.principal;

    const attempts = [
      () =>
        inviteUser({
          db: db(),
          principal: actor,
          email: `x-${randomUUID()}@lake.test`,
          roleNames: ["admin"],
        }),
      () => listUsers({ db: db(), principal: actor }),
      () =>
        setUserRoles({ db: db(), principal: actor, userId: target.user.id, roleNames: ["admin"] }),
      () =>
        setUserRoles({ db: db(), principal: actor, userId: actor.userId, roleNames: ["admin"] }),
      () => setUserDisabled({ db: db(), principal: actor, userId: target.user.id, disabled: true }),
      () => resetUserPassword({ db: db(), principal: actor, userId: target.user.id }),
    ];
    for (const attempt of attempts) expect((await rejection(attempt())).code).toBe("forbidden");

    expect(await db().prisma.user.count()).toBe(users);
    expect(await auditCount()).toBe(audits);
    expect(await row(target.user.id)).toEqual(before);
    expect((await row(actor.userId)).roles.map((r) => r.role.name)).toEqual(["reader"]);
  });

  it("does not let an admin API key scoped to read make changes", async () => {
    const target = await invite();
    const readOnlyKey: Principal = {
      ...admin,
      permissions: new Set(["read"]),
      via: "api_key",
      apiKeyId: randomUUID(),
    };
    expect((await listUsers({ db: db(), principal: readOnlyKey })).total).toBeGreaterThan(0);
    const error = await rejection(
      setUserDisabled({ db: db(), principal: readOnlyKey, userId: target.user.id, disabled: true }),
    );
    expect(error.code).toBe("forbidden");
    expect((await row(target.user.id)).disabledAt).toBeNull();
  });

  it("lists every user sorted by email, without secrets", async () => {
    await invite();
    await invite(["admin"]);
    const { items: users } = await listUsers({ db: db(), principal: admin, pageSize: 100 });
    const emails = users.map((user) => user.email);
    expect(emails).toEqual([...emails].sort());
    expect(emails).toContain(admin.email);
    const json = JSON.stringify(users);
    expect(json).not.toMatch(/passwordHash|argon2|sessionVersion/);
  });

  it("replaces a user's roles and audits before and after", async () => {
    const { user } = await invite(["reader"]);
    const role = await db().prisma.role.create({
      data: { name: `analyst-${randomUUID().slice(0, 8)}`, permissions: ["read", "write"] },
    });
    const updated = await setUserRoles({
      db: db(),
      principal: admin,
      userId: user.id,
      roleNames: [role.name, "admin"],
    });
    expect(updated.roles).toEqual(["admin", role.name].sort());
    expect((await row(user.id)).sessionVersion).toBe(0);

    const after = await setUserRoles({
      db: db(),
      principal: admin,
      userId: user.id,
      roleNames: ["reader"],
    });
    expect(after.roles).toEqual(["reader"]);
    const entries = await auditOf(user.id);
    expect(entries.map((entry) => [entry.action, entry.summary])).toEqual([
      ["user.invite", expect.anything()],
      [
        "user.roles.update",
        {
          email: user.email,
          before: { roles: ["reader"] },
          after: { roles: ["admin", role.name].sort() },
        },
      ],
      [
        "user.roles.update",
        {
          email: user.email,
          before: { roles: ["admin", role.name].sort() },
          after: { roles: ["reader"] },
        },
      ],
    ]);

    // Setting the same roles again changes nothing and is not audited.
    await setUserRoles({ db: db(), principal: admin, userId: user.id, roleNames: ["reader"] });
    expect(await auditOf(user.id)).toHaveLength(3);

    const unknown = await rejection(
      setUserRoles({ db: db(), principal: admin, userId: user.id, roleNames: ["nope"] }),
    );
    expect(unknown).toMatchObject({ code: "bad_request", details: { unknown_roles: ["nope"] } });
    const missing = await rejection(
      setUserRoles({ db: db(), principal: admin, userId: randomUUID(), roleNames: ["reader"] }),
    );
    expect(missing.code).toBe("not_found");
  });

  it("disables a user, ending their sessions, and enables them again", async () => {
    const { user } = await invite();
    const disabled = await setUserDisabled({
      db: db(),
      principal: admin,
      userId: user.id,
      disabled: true,
    });
    expect(disabled.disabled).toBe(true);
    const stored = await row(user.id);
    expect(stored.disabledAt).not.toBeNull();
    expect(stored.sessionVersion).toBe(1);

    // Disabling a disabled user is a no-op: no second bump, no second entry.
    await setUserDisabled({ db: db(), principal: admin, userId: user.id, disabled: true });
    expect((await row(user.id)).sessionVersion).toBe(1);

    const enabled = await setUserDisabled({
      db: db(),
      principal: admin,
      userId: user.id,
      disabled: false,
    });
    expect(enabled.disabled).toBe(false);
    expect(await row(user.id)).toMatchObject({ disabledAt: null, sessionVersion: 1 });

    const entries = await auditOf(user.id);
    expect(entries.map((entry) => [entry.action, entry.summary])).toEqual([
      ["user.invite", expect.anything()],
      [
        "user.disable",
        {
          email: user.email,
          before: { disabled: false },
          after: { disabled: true },
          sessionsEnded: true,
        },
      ],
      [
        "user.enable",
        { email: user.email, before: { disabled: true }, after: { disabled: false } },
      ],
    ]);
  });

  it("keeps at least one enabled administrator", async () => {
    // Another admin that could otherwise count as the one left.
    const other = await invite(["admin"]);
    const audits = await auditCount();

    const selfDemotion = await rejection(
      setUserRoles({ db: db(), principal: admin, userId: admin.userId, roleNames: ["reader"] }),
    );
    expect(selfDemotion).toMatchObject({ code: "conflict", details: { reason: "self_lockout" } });
    const selfDisable = await rejection(
      setUserDisabled({ db: db(), principal: admin, userId: admin.userId, disabled: true }),
    );
    expect(selfDisable).toMatchObject({ code: "conflict", details: { reason: "self_lockout" } });
    expect(await auditCount()).toBe(audits);

    // Leave `admin` as the only enabled admin; `other` keeps a principal it would no longer get,
    // as a request racing the change would.
    await db().prisma.user.updateMany({
      where: { id: { not: admin.userId }, roles: { some: { role: { name: "admin" } } } },
      data: { disabledAt: new Date() },
    });
    const lastDemotion = await rejection(
      setUserRoles({
        db: db(),
        principal: other.principal,
        userId: admin.userId,
        roleNames: ["reader"],
      }),
    );
    expect(lastDemotion).toMatchObject({ code: "conflict", details: { reason: "last_admin" } });
    const lastDisable = await rejection(
      setUserDisabled({
        db: db(),
        principal: other.principal,
        userId: admin.userId,
        disabled: true,
      }),
    );
    expect(lastDisable).toMatchObject({ code: "conflict", details: { reason: "last_admin" } });
    expect((await row(admin.userId)).disabledAt).toBeNull();
    expect((await row(admin.userId)).roles.map((r) => r.role.name)).toEqual(["admin"]);
    expect(await auditCount()).toBe(audits);

    // With another enabled admin, demoting and disabling an admin is fine.
    await setUserDisabled({ db: db(), principal: admin, userId: other.user.id, disabled: false });
    const demoted = await setUserRoles({
      db: db(),
      principal: admin,
      userId: other.user.id,
      roleNames: ["reader"],
    });
    expect(demoted.roles).toEqual(["reader"]);
    const promoted = await invite(["admin"]);
    await setUserDisabled({ db: db(), principal: admin, userId: promoted.user.id, disabled: true });
    expect((await row(promoted.user.id)).disabledAt).not.toBeNull();
  });

  it("changes one's own password only with the current one", async () => {
    const { user, initialPassword, principal } = await invite();
    const before = await row(user.id);
    const audits = await auditCount();
    const newPassword = `new password ${randomUUID()}`;
    secrets.push(newPassword);

    const wrong = await rejection(
      changePassword({ db: db(), principal, currentPassword: "not it at all", newPassword }),
    );
    expect(wrong).toMatchObject({
      code: "bad_request",
      message: "The current password is wrong.",
      details: { reason: "wrong_password" },
    });
    const same = await rejection(
      changePassword({
        db: db(),
        principal,
        currentPassword: initialPassword,
        newPassword: initialPassword,
      }),
    );
    expect(same).toMatchObject({ code: "bad_request", details: { reason: "same_password" } });
    const short = await rejection(
      changePassword({
        db: db(),
        principal,
        currentPassword: initialPassword,
        newPassword: "short",
      }),
    );
    expect(short.code).toBe("validation_failed");
    expect(await row(user.id)).toEqual(before);
    expect(await auditCount()).toBe(audits);

    await changePassword({
      db: db(),
      principal,
      currentPassword: initialPassword,
      newPassword,
      requestId: "req-change",
    });
    const after = await row(user.id);
    expect(after.mustChangePassword).toBe(false);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(after.passwordHash, newPassword)).toBe(true);
    expect(await verifyPassword(after.passwordHash, initialPassword)).toBe(false);

    const entry = (await auditOf(user.id)).at(-1);
    expect(entry).toMatchObject({
      actorId: user.id,
      action: "user.password.change",
      requestId: "req-change",
      summary: {
        before: { mustChangePassword: true },
        after: { mustChangePassword: false },
        sessionsEnded: true,
      },
    });

    // The old password is no longer proof.
    const stale = await rejection(
      changePassword({
        db: db(),
        principal,
        currentPassword: initialPassword,
        newPassword: `another ${randomUUID()}`,
      }),
    );
    expect(stale.details).toEqual({ reason: "wrong_password" });
  });

  it("refuses a password change for a disabled account", async () => {
    const { user, initialPassword, principal } = await invite();
    await setUserDisabled({ db: db(), principal: admin, userId: user.id, disabled: true });
    const error = await rejection(
      changePassword({
        db: db(),
        principal,
        currentPassword: initialPassword,
        newPassword: `new password ${randomUUID()}`,
      }),
    );
    expect(error.code).toBe("unauthorized");
  });

  it("resets another user's password to a new one-time password", async () => {
    const { user, initialPassword, principal } = await invite();
    const newPassword = `chosen password ${randomUUID()}`;
    secrets.push(newPassword);
    await changePassword({ db: db(), principal, currentPassword: initialPassword, newPassword });
    const before = await row(user.id);

    const reset = await resetUserPassword({ db: db(), principal: admin, userId: user.id });
    secrets.push(reset.temporaryPassword);
    expect(reset.user).toMatchObject({ id: user.id, mustChangePassword: true });
    const after = await row(user.id);
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.passwordHash).not.toContain(reset.temporaryPassword);
    expect(await verifyPassword(after.passwordHash, reset.temporaryPassword)).toBe(true);
    expect(await verifyPassword(after.passwordHash, newPassword)).toBe(false);
    expect((await auditOf(user.id)).at(-1)).toMatchObject({
      action: "user.password.reset",
      actorId: admin.userId,
      summary: {
        email: user.email,
        before: { mustChangePassword: false },
        after: { mustChangePassword: true },
        sessionsEnded: true,
      },
    });

    const self = await rejection(
      resetUserPassword({ db: db(), principal: admin, userId: admin.userId }),
    );
    expect(self.code).toBe("forbidden");
    const missing = await rejection(
      resetUserPassword({ db: db(), principal: admin, userId: randomUUID() }),
    );
    expect(missing.code).toBe("not_found");
  });

  it("never writes a password or a password hash into the audit log", async () => {
    const entries = await db().prisma.auditLog.findMany();
    const hashes = (await db().prisma.user.findMany({ select: { passwordHash: true } })).map(
      (user) => user.passwordHash,
    );
    expect(entries.length).toBeGreaterThan(10);
    expect(secrets.length).toBeGreaterThan(5);
    for (const entry of entries) {
      const summary = JSON.stringify(entry.summary);
      expect(summary).not.toMatch(/"(current|new|initial|temporary)?password(hash)?"|\$argon2/i);
      for (const secret of [...secrets, ...hashes]) expect(summary).not.toContain(secret);
    }
  });
});
