import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { bootstrapAdmin } from "../auth/bootstrap-admin";
import { type Principal } from "../auth/principal";
import { databaseBackends } from "../testing/backends";
import { useTestDatabase } from "../testing/test-database";
import { type AuditAction } from "./audit-actions";
import { listAudit } from "./list-audit";
import { recordAudit } from "./record-audit";
import { rejection } from "../testing/rejection";

describe.each(databaseBackends)("listAudit on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  let reader: Principal;

  beforeAll(async () => {
    const email = `admin-${randomUUID()}@lake.test`;
    await bootstrapAdmin({ db: db(), email, password: "bootstrap admin password" });
    const adminRow = await db().prisma.user.findUniqueOrThrow({ where: { email } });
    admin = {
      userId: adminRow.id,
      email,
      roles: ["admin"],
      permissions: new Set(["read", "write", "delete"]),
      via: "session",
    };
    const readerRow = await db().prisma.user.create({
      data: { email: `reader-${randomUUID()}@lake.test`, passwordHash: "unused" },
    });
    reader = {
      userId: readerRow.id,
      email: readerRow.email,
      roles: ["reader"],
      permissions: new Set(["read"]),
      via: "session",
    };
  });

  /** Actions under a prefix no other test uses, so filters see only this test's entries. */
  const uniquePrefix = () => `t${randomUUID().slice(0, 8)}.`;

  async function entry(options: {
    action: string;
    actorId?: string | null;
    at?: Date;
    resourceId?: string;
  }): Promise<string> {
    const row = await db().prisma.auditLog.create({
      data: {
        action: options.action,
        actorId: options.actorId ?? null,
        actorType: options.actorId ? "session" : "anonymous",
        resourceType: "test",
        resourceId: options.resourceId ?? null,
        summary: { n: 1 },
        ...(options.at ? { at: options.at } : {}),
      },
    });
    return row.id.toString();
  }

  it("is for administrators only", async () => {
    const error = await rejection(listAudit({ db: db(), principal: reader }));
    expect(error.code).toBe("forbidden");
  });

  it("shows entries newest first with their actor's email, ids as strings", async () => {
    const prefix = uniquePrefix();
    await recordAudit(db(), {
      actor: admin,
      action: `${prefix}change` as AuditAction,
      resource: { type: "thing", id: "42" },
      summary: { before: { a: 1 }, after: { a: 2 } },
      ip: "192.0.2.1",
      requestId: "req-1",
    });
    await recordAudit(db(), {
      actor: null,
      action: `${prefix}sign_in_failed` as AuditAction,
      resource: { type: "session" },
    });

    const { items, nextCursor } = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: prefix },
    });
    expect(nextCursor).toBeNull();
    for (const item of items) {
      expect(item.id).toMatch(/^\d+$/);
      expect(item.at).toBeInstanceOf(Date);
    }
    expect(items.map(({ id: _id, at: _at, ...rest }) => rest)).toEqual([
      {
        actor: null,
        actorType: "anonymous",
        action: `${prefix}sign_in_failed`,
        resourceType: "session",
        resourceId: null,
        summary: {},
        ip: null,
        requestId: null,
      },
      {
        actor: { id: admin.userId, email: admin.email },
        actorType: "session",
        action: `${prefix}change`,
        resourceType: "thing",
        resourceId: "42",
        summary: { before: { a: 1 }, after: { a: 2 } },
        ip: "192.0.2.1",
        requestId: "req-1",
      },
    ]);
    expect(BigInt(items[0]!.id)).toBeGreaterThan(BigInt(items[1]!.id));
  });

  it("filters by actor email, in any case", async () => {
    const prefix = uniquePrefix();
    const byAdmin = await entry({ action: `${prefix}a`, actorId: admin.userId });
    await entry({ action: `${prefix}b`, actorId: reader.userId });
    await entry({ action: `${prefix}c` });

    const { items } = await listAudit({
      db: db(),
      principal: admin,
      filter: { actorEmail: ` ${admin.email.toUpperCase()} `, action: prefix },
    });
    expect(items.map((item) => item.id)).toEqual([byAdmin]);
    const nobody = await listAudit({
      db: db(),
      principal: admin,
      filter: { actorEmail: "nobody@lake.test" },
    });
    expect(nobody).toEqual({ items: [], nextCursor: null });
  });

  it("filters by action prefix, taking _ and % literally", async () => {
    const prefix = uniquePrefix();
    const keyCreate = await entry({ action: `${prefix}api_key.create` });
    const keyRevoke = await entry({ action: `${prefix}api_key.revoke` });
    await entry({ action: `${prefix}apiXkey.create` });
    await entry({ action: `${prefix}auth.sign_in` });

    const keys = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: `${prefix}api_key.` },
    });
    expect(keys.items.map((item) => item.id)).toEqual([keyRevoke, keyCreate]);
    const wildcard = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: `${prefix}%` },
    });
    expect(wildcard.items).toEqual([]);
    const exact = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: `${prefix}api_key.create` },
    });
    expect(exact.items.map((item) => item.id)).toEqual([keyCreate]);
  });

  it("filters by time, from inclusive and to exclusive", async () => {
    const prefix = uniquePrefix();
    const t = (minute: number) => new Date(Date.UTC(2024, 0, 1, 12, minute));
    const ids = [];
    for (const minute of [0, 10, 20, 30]) ids.push(await entry({ action: prefix, at: t(minute) }));

    const range = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: prefix, from: t(10), to: t(30) },
    });
    expect(range.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    const since = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: prefix, from: t(20) },
    });
    expect(since.items.map((item) => item.id)).toEqual([ids[3], ids[2]]);
    const until = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: prefix, to: t(10) },
    });
    expect(until.items.map((item) => item.id)).toEqual([ids[0]]);

    const backwards = await rejection(
      listAudit({ db: db(), principal: admin, filter: { from: t(30), to: t(10) } }),
    );
    expect(backwards.code).toBe("validation_failed");
  });

  it("pages with a cursor, without duplicates or gaps, even while entries are added", async () => {
    const prefix = uniquePrefix();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await entry({ action: `${prefix}n${i}` }));
    const newestFirst = [...ids].reverse();

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAudit({
        db: db(),
        principal: admin,
        filter: { action: prefix },
        cursor,
        limit: 3,
      });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
      // A newer entry written mid-way belongs before the first page, not on a later one.
      if (pages === 1) await entry({ action: `${prefix}late` });
    } while (cursor);

    expect(pages).toBe(3);
    expect(seen).toEqual(newestFirst);
    expect(new Set(seen).size).toBe(seen.length);

    // A page that ends exactly at the last entry says there is no next one.
    const exact = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: `${prefix}n` },
      limit: 7,
    });
    expect(exact.items).toHaveLength(7);
    expect(exact.nextCursor).toBeNull();

    const all = await listAudit({ db: db(), principal: admin });
    expect(all.items.length).toBeLessThanOrEqual(50);
  });

  it("rejects invalid cursors and limits", async () => {
    for (const options of [
      { cursor: "abc" },
      { cursor: "-1" },
      { cursor: "99999999999999999999" },
      { limit: 0 },
      { limit: 201 },
      { limit: 1.5 },
    ]) {
      const error = await rejection(listAudit({ db: db(), principal: admin, ...options }));
      expect(error.code).toBe("validation_failed");
    }
    const page = await listAudit({ db: db(), principal: admin, limit: 200 });
    expect(page.items.length).toBeLessThanOrEqual(200);
  });
});
