import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { databaseBackends } from "../../testing/backends";
import { useTestDatabase } from "../../testing/test-database";
import { type Permission, type Principal } from "../principal";
import { hashApiKey } from "./api-key-format";
import { authenticateApiKey, invalidateApiKeyMemo } from "./authenticate-api-key";
import { createApiKey } from "./create-api-key";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";
import { rotateApiKey } from "./rotate-api-key";
import { updateRole } from "../../roles/update-role";
import { setUserDisabled } from "../../users/set-user-disabled";
import { rejection } from "../../testing/rejection";

const DAY_MS = 86_400_000;

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(databaseBackends)("API keys on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);

  /** Built-in role names ("admin", "reader") are shared; any other name makes a fresh role. */
  async function role(name: string, permissions: Permission[]) {
    return db().prisma.role.upsert({
      where: { name },
      create: { name, permissions },
      update: {},
    });
  }

  /** A user holding the given roles, and the session principal it would sign in as. */
  async function user(roles: { name: string; permissions: Permission[] }[]) {
    const created = await db().prisma.user.create({
      data: { email: `user-${randomUUID()}@lake.test`, passwordHash: "unused" },
    });
    const rows = await Promise.all(roles.map((r) => role(r.name, r.permissions)));
    await db().prisma.userRole.createMany({
      data: rows.map((r) => ({ userId: created.id, roleId: r.id })),
    });
    const principal: Principal = {
      userId: created.id,
      email: created.email,
      roles: rows.map((r) => r.name),
      permissions: new Set(rows.flatMap((r) => r.permissions)),
      via: "session",
    };
    return { id: created.id, email: created.email, principal, roleIds: rows.map((r) => r.id) };
  }

  const writer = () => user([{ name: `writer-${randomUUID()}`, permissions: ["read", "write"] }]);
  const admin = () => user([{ name: "admin", permissions: ["read", "write", "delete"] }]);
  const reader = () => user([{ name: "reader", permissions: ["read"] }]);

  async function auditRows(resourceId: string) {
    return db().prisma.auditLog.findMany({ where: { resourceId }, orderBy: { id: "asc" } });
  }

  it("creates a key that authenticates as its owner with the key's scopes", async () => {
    const owner = await writer();
    const before = Date.now();
    const { key, apiKey } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: " deploy bot ",
      scopes: ["read"],
    });

    expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true);
    expect(apiKey).toMatchObject({ name: "deploy bot", scopes: ["read"], status: "active" });
    expect(apiKey).not.toHaveProperty("hash");
    expect(apiKey).not.toHaveProperty("owner");
    // Default expiry: LAKE_API_KEY_TTL_DAYS (90).
    const ttl = apiKey.expiresAt!.getTime() - before;
    expect(ttl).toBeGreaterThanOrEqual(90 * DAY_MS - 1_000);
    expect(ttl).toBeLessThanOrEqual(90 * DAY_MS + 1_000);

    const principal = await authenticateApiKey({ db: db(), key });
    expect(principal).toEqual({
      userId: owner.id,
      email: owner.email,
      roles: owner.principal.roles,
      permissions: new Set(["read"]),
      via: "api_key",
      apiKeyId: apiKey.id,
    });
  });

  it("honours expiresInDays", async () => {
    const owner = await writer();
    const { apiKey } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "short",
      scopes: ["read"],
      expiresInDays: 1,
    });
    expect(apiKey.expiresAt!.getTime() - apiKey.createdAt.getTime()).toBeLessThan(DAY_MS + 5_000);
  });

  it("stores only the hash: no column holds the key or its secret", async () => {
    const owner = await writer();
    const { key, apiKey } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "ci",
      scopes: ["read", "write"],
    });
    const stored = await db().prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.hash).toBe(hashApiKey(key));
    expect(stored.hash).not.toBe(key);
    const { rows } = await db().pool.query<{ row: string }>(
      "select row_to_json(k)::text as row from api_keys k where id = $1",
      [apiKey.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).not.toContain(key);
    expect(rows[0]!.row).not.toContain(key.slice(apiKey.prefix.length + 1));
  });

  it("refuses scopes wider than the owner's roles, and writes nothing", async () => {
    const owner = await reader();
    const error = await rejection(
      createApiKey({
        db: db(),
        principal: owner.principal,
        name: "too wide",
        scopes: ["read", "write", "delete"],
      }),
    );
    expect(error).toMatchObject({
      code: "forbidden",
      status: 403,
      details: { scopes_not_allowed: ["write", "delete"] },
    });
    expect(await db().prisma.apiKey.count({ where: { userId: owner.id } })).toBe(0);
    expect(await db().prisma.auditLog.count({ where: { actorId: owner.id } })).toBe(0);
  });

  it("does not let a narrow key mint a wider one", async () => {
    const owner = await writer();
    const { key } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "read only",
      scopes: ["read"],
    });
    const viaKey = await authenticateApiKey({ db: db(), key });
    const error = await rejection(
      createApiKey({ db: db(), principal: viaKey, name: "wider", scopes: ["write"] }),
    );
    expect(error).toMatchObject({ code: "forbidden", details: { scopes_not_allowed: ["write"] } });
  });

  it("rejects malformed, unknown and wrong-secret keys with one identical error", async () => {
    const owner = await writer();
    const { key } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "ci",
      scopes: ["read"],
    });
    const lastChar = key.endsWith("A") ? "B" : "A";
    const attempts = [
      "",
      "not a key",
      key.toUpperCase(),
      `${key.slice(0, -1)}${lastChar}`,
      `dpl_0123456789ab_${key.slice(17)}`,
    ];
    for (const attempt of attempts) {
      const error = await rejection(authenticateApiKey({ db: db(), key: attempt }));
      expect({ code: error.code, message: error.message, details: error.details }).toEqual({
        code: "unauthorized",
        message: "Invalid API key.",
        details: undefined,
      });
    }
  });

  it("stops a revoked key; revoking again changes nothing", async () => {
    const owner = await writer();
    const { key, apiKey } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "ci",
      scopes: ["read"],
    });
    const revoked = await revokeApiKey({ db: db(), principal: owner.principal, keyId: apiKey.id });
    expect(revoked).toMatchObject({ id: apiKey.id, status: "revoked" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await rejection(authenticateApiKey({ db: db(), key }))).toMatchObject({
      code: "unauthorized",
      message: "Invalid API key.",
    });

    const again = await revokeApiKey({ db: db(), principal: owner.principal, keyId: apiKey.id });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
    const actions = (await auditRows(apiKey.id)).map((row) => row.action);
    expect(actions).toEqual(["api_key.create", "api_key.revoke"]);
  });

  it("stops an expired key", async () => {
    const owner = await writer();
    const { key, apiKey } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "ci",
      scopes: ["read"],
    });
    await db().prisma.apiKey.update({
      where: { id: apiKey.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    await invalidateApiKeyMemo(); // services do this after their writes; this test writes directly
    expect(await rejection(authenticateApiKey({ db: db(), key }))).toMatchObject({
      code: "unauthorized",
    });
    const [listed] = await listApiKeys({ db: db(), principal: owner.principal, scope: "mine" });
    expect(listed?.status).toBe("expired");
  });

  it("rotates: the old key works until its grace ends, the new one from the start", async () => {
    const owner = await writer();
    const old = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "etl",
      scopes: ["read", "write"],
    });
    const before = Date.now();
    const rotated = await rotateApiKey({
      db: db(),
      principal: owner.principal,
      keyId: old.apiKey.id,
    });
    expect(rotated.key).not.toBe(old.key);
    expect(rotated.apiKey).toMatchObject({
      name: "etl",
      scopes: ["read", "write"],
      status: "active",
    });
    expect(rotated.apiKey.id).not.toBe(old.apiKey.id);

    const oldRow = await db().prisma.apiKey.findUniqueOrThrow({ where: { id: old.apiKey.id } });
    expect(oldRow.rotatedToId).toBe(rotated.apiKey.id);
    // Default grace: LAKE_API_KEY_ROTATION_GRACE_HOURS (24).
    const grace = oldRow.graceUntil!.getTime() - before;
    expect(grace).toBeGreaterThanOrEqual(24 * 3_600_000 - 1_000);
    expect(grace).toBeLessThanOrEqual(24 * 3_600_000 + 1_000);

    expect((await authenticateApiKey({ db: db(), key: old.key })).apiKeyId).toBe(old.apiKey.id);
    expect((await authenticateApiKey({ db: db(), key: rotated.key })).apiKeyId).toBe(
      rotated.apiKey.id,
    );

    await db().prisma.apiKey.update({
      where: { id: old.apiKey.id },
      data: { graceUntil: new Date(Date.now() - 1_000) },
    });
    await invalidateApiKeyMemo(); // services do this after their writes; this test writes directly
    expect(await rejection(authenticateApiKey({ db: db(), key: old.key }))).toMatchObject({
      code: "unauthorized",
      message: "Invalid API key.",
    });
    expect((await authenticateApiKey({ db: db(), key: rotated.key })).apiKeyId).toBe(
      rotated.apiKey.id,
    );

    const mine = await listApiKeys({ db: db(), principal: owner.principal, scope: "mine" });
    expect(mine.map((k) => [k.id, k.status])).toEqual([
      [rotated.apiKey.id, "active"],
      [old.apiKey.id, "rotated"],
    ]);
  });

  it("carries a key's own rate limit into its principal and across rotation", async () => {
    const owner = await writer();
    const { key, apiKey } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "metered",
      scopes: ["read"],
    });
    expect(apiKey.rateLimitPerHour).toBeNull();
    expect(await authenticateApiKey({ db: db(), key })).not.toHaveProperty(
      "apiKeyRateLimitPerHour",
    );
    await db().prisma.apiKey.update({ where: { id: apiKey.id }, data: { rateLimitPerHour: 500 } });
    await invalidateApiKeyMemo(); // services do this after their writes; this test writes directly
    expect((await authenticateApiKey({ db: db(), key })).apiKeyRateLimitPerHour).toBe(500);

    const rotated = await rotateApiKey({ db: db(), principal: owner.principal, keyId: apiKey.id });
    expect(rotated.apiKey.rateLimitPerHour).toBe(500);
    expect((await authenticateApiKey({ db: db(), key: rotated.key })).apiKeyRateLimitPerHour).toBe(
      500,
    );
  });

  it("ends the grace at once with graceHours 0", async () => {
    const owner = await writer();
    const old = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "etl",
      scopes: ["read"],
    });
    await rotateApiKey({
      db: db(),
      principal: owner.principal,
      keyId: old.apiKey.id,
      graceHours: 0,
    });
    expect(await rejection(authenticateApiKey({ db: db(), key: old.key }))).toMatchObject({
      code: "unauthorized",
    });
  });

  it("refuses to rotate a rotated, revoked or expired key", async () => {
    const owner = await writer();
    const create = () =>
      createApiKey({ db: db(), principal: owner.principal, name: "k", scopes: ["read"] });
    const rotate = (keyId: string) => rotateApiKey({ db: db(), principal: owner.principal, keyId });

    const rotated = await create();
    await rotate(rotated.apiKey.id);
    const revoked = await create();
    await revokeApiKey({ db: db(), principal: owner.principal, keyId: revoked.apiKey.id });
    const expired = await create();
    await db().prisma.apiKey.update({
      where: { id: expired.apiKey.id },
      data: { expiresAt: new Date(Date.now() - 1_000) },
    });
    await invalidateApiKeyMemo(); // services do this after their writes; this test writes directly

    for (const [{ apiKey }, status] of [
      [rotated, "rotated"],
      [revoked, "revoked"],
      [expired, "expired"],
    ] as const) {
      expect(await rejection(rotate(apiKey.id))).toMatchObject({
        code: "conflict",
        status: 409,
        details: { status },
      });
    }
    // Refused rotations leave nothing behind: the three keys plus the one replacement.
    expect(await db().prisma.apiKey.count({ where: { userId: owner.id } })).toBe(4);
  });

  // Only a real server runs transactions side by side (PGlite runs one at a time). The race is
  // forced: a row lock holds both rotations after they have read the key as active.
  it.runIf(backend.name === "server")(
    "lets only one of two rotations racing on the same key win",
    async () => {
      const owner = await writer();
      const { apiKey } = await createApiKey({
        db: db(),
        principal: owner.principal,
        name: "race",
        scopes: ["read"],
      });
      const rotate = () => rotateApiKey({ db: db(), principal: owner.principal, keyId: apiKey.id });
      const blocker = await db().pool.connect();
      let results: PromiseSettledResult<unknown>[];
      try {
        await blocker.query("begin");
        await blocker.query("select 1 from api_keys where id = $1 for update", [apiKey.id]);
        const racing = Promise.allSettled([rotate(), rotate()]);
        await waitFor(async () => {
          const { rows } = await db().pool.query<{ waiting: number }>(
            `select count(*)::int as waiting from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock'`,
          );
          return rows[0]?.waiting === 2;
        });
        await blocker.query("commit");
        results = await racing;
      } finally {
        await blocker.query("rollback").catch(() => {});
        blocker.release();
      }
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const failed = results.find((r) => r.status === "rejected");
      expect(failed?.reason).toMatchObject({ code: "conflict" });
      // The loser's replacement was rolled back: one old key, one new one.
      expect(await db().prisma.apiKey.count({ where: { userId: owner.id } })).toBe(2);
    },
  );

  it("stops the keys of a disabled owner", async () => {
    const owner = await writer();
    const { key } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "ci",
      scopes: ["read"],
    });
    await db().prisma.user.update({ where: { id: owner.id }, data: { disabledAt: new Date() } });
    await invalidateApiKeyMemo(); // services do this after their writes; this test writes directly
    expect(await rejection(authenticateApiKey({ db: db(), key }))).toMatchObject({
      code: "unauthorized",
      message: "Invalid API key.",
    });
  });

  it("sees a change made through the services at once, though keys are kept in memory", async () => {
    const owner = await writer();
    const boss = await admin();
    const { key } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "etl",
      scopes: ["read", "write"],
    });
    expect((await authenticateApiKey({ db: db(), key })).permissions).toEqual(
      new Set(["read", "write"]),
    );
    await updateRole({
      db: db(),
      principal: boss.principal,
      roleId: owner.roleIds[0]!,
      permissions: ["read"],
    });
    expect((await authenticateApiKey({ db: db(), key })).permissions).toEqual(new Set(["read"]));
    await setUserDisabled({
      db: db(),
      principal: boss.principal,
      userId: owner.id,
      disabled: true,
    });
    expect(await rejection(authenticateApiKey({ db: db(), key }))).toMatchObject({
      code: "unauthorized",
    });
  });

  it("narrows a key when its owner's role is narrowed", async () => {
    const owner = await writer();
    const { key } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "etl",
      scopes: ["read", "write"],
    });
    expect((await authenticateApiKey({ db: db(), key })).permissions).toEqual(
      new Set(["read", "write"]),
    );
    await db().prisma.role.update({
      where: { id: owner.roleIds[0] },
      data: { permissions: ["read"] },
    });
    await invalidateApiKeyMemo(); // services do this after their writes; this test writes directly
    expect((await authenticateApiKey({ db: db(), key })).permissions).toEqual(new Set(["read"]));
  });

  it("hides another user's key from rotate and revoke; admins may manage it", async () => {
    const owner = await writer();
    const stranger = await writer();
    const boss = await admin();
    const { key, apiKey } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "ci",
      scopes: ["read"],
    });

    const rotateError = await rejection(
      rotateApiKey({ db: db(), principal: stranger.principal, keyId: apiKey.id }),
    );
    const revokeError = await rejection(
      revokeApiKey({ db: db(), principal: stranger.principal, keyId: apiKey.id }),
    );
    const missingError = await rejection(
      revokeApiKey({ db: db(), principal: stranger.principal, keyId: randomUUID() }),
    );
    for (const error of [rotateError, revokeError]) {
      expect(error).toMatchObject({ code: "not_found", status: 404 });
      expect(error.message).toBe(missingError.message);
    }
    expect((await authenticateApiKey({ db: db(), key })).apiKeyId).toBe(apiKey.id);

    const rotated = await rotateApiKey({ db: db(), principal: boss.principal, keyId: apiKey.id });
    const replacement = await authenticateApiKey({ db: db(), key: rotated.key });
    expect(replacement.userId).toBe(owner.id);
    const revoked = await revokeApiKey({
      db: db(),
      principal: boss.principal,
      keyId: rotated.apiKey.id,
    });
    expect(revoked.status).toBe("revoked");
    const audit = await auditRows(rotated.apiKey.id);
    expect(audit.map((row) => [row.action, row.actorId])).toEqual([["api_key.revoke", boss.id]]);
  });

  it("lists one's own keys newest first; only admins list everyone's, with owners", async () => {
    const first = await reader();
    const second = await writer();
    const boss = await admin();
    const make = (owner: { principal: Principal }, name: string) =>
      createApiKey({ db: db(), principal: owner.principal, name, scopes: ["read"] });
    const a = await make(first, "a");
    const b = await make(first, "b");
    const c = await make(second, "c");

    const mine = await listApiKeys({ db: db(), principal: first.principal, scope: "mine" });
    expect(mine.map((k) => k.name)).toEqual(["b", "a"]);
    expect(mine.every((k) => !("owner" in k) && !("hash" in k))).toBe(true);

    expect(
      await rejection(listApiKeys({ db: db(), principal: first.principal, scope: "all" })),
    ).toMatchObject({ code: "forbidden", status: 403 });

    const all = await listApiKeys({ db: db(), principal: boss.principal, scope: "all" });
    const ours = all.filter((k) => [a, b, c].some((made) => made.apiKey.id === k.id));
    expect(ours.map((k) => [k.name, k.owner])).toEqual([
      ["c", { id: second.id, email: second.email }],
      ["b", { id: first.id, email: first.email }],
      ["a", { id: first.id, email: first.email }],
    ]);
    const times = all.map((k) => k.createdAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it("records lastUsedAt and lastUsedIp at most once a minute", async () => {
    const owner = await writer();
    const { key, apiKey } = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "hot",
      scopes: ["read"],
    });
    const lastUsed = async () => {
      const row = await db().prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
      return { at: row.lastUsedAt, ip: row.lastUsedIp };
    };
    const t0 = new Date();
    expect(await lastUsed()).toEqual({ at: null, ip: null });

    await authenticateApiKey({ db: db(), key, ip: "203.0.113.1", now: t0 });
    expect(await lastUsed()).toEqual({ at: t0, ip: "203.0.113.1" });

    await authenticateApiKey({
      db: db(),
      key,
      ip: "203.0.113.2",
      now: new Date(t0.getTime() + 59_000),
    });
    expect(await lastUsed()).toEqual({ at: t0, ip: "203.0.113.1" });

    const t1 = new Date(t0.getTime() + 61_000);
    await authenticateApiKey({ db: db(), key, ip: "203.0.113.3", now: t1 });
    expect(await lastUsed()).toEqual({ at: t1, ip: "203.0.113.3" });
  });

  it("audits create, rotate and revoke without ever writing the key", async () => {
    const owner = await writer();
    const created = await createApiKey({
      db: db(),
      principal: owner.principal,
      name: "audited",
      scopes: ["read", "write"],
      ip: "198.51.100.7",
      requestId: "req-1",
    });
    const rotated = await rotateApiKey({
      db: db(),
      principal: owner.principal,
      keyId: created.apiKey.id,
      graceHours: 2,
    });
    await revokeApiKey({ db: db(), principal: owner.principal, keyId: created.apiKey.id });

    const rows = await auditRows(created.apiKey.id);
    expect(rows.map((row) => [row.action, row.actorId, row.actorType, row.resourceType])).toEqual([
      ["api_key.create", owner.id, "session", "api_key"],
      ["api_key.rotate", owner.id, "session", "api_key"],
      ["api_key.revoke", owner.id, "session", "api_key"],
    ]);
    expect(rows[0]).toMatchObject({
      ip: "198.51.100.7",
      requestId: "req-1",
      summary: {
        name: "audited",
        scopes: ["read", "write"],
        expiresAt: created.apiKey.expiresAt!.toISOString(),
      },
    });
    expect(rows[1]?.summary).toMatchObject({ rotatedToId: rotated.apiKey.id });

    // Every column of every row the owner caused, as the database holds it.
    const { rows: raw } = await db().pool.query<{ row: string }>(
      "select row_to_json(a)::text as row from audit_log a where actor_id = $1",
      [owner.id],
    );
    expect(raw).toHaveLength(3);
    const everything = raw.map((r) => r.row).join("\n");
    for (const key of [created.key, rotated.key]) {
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(key.slice(17));
      expect(everything).not.toContain(hashApiKey(key));
    }
  });
});
