import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { bootstrapAdmin } from "../auth/bootstrap-admin";
import { type Principal } from "../auth/principal";
import { databaseBackends } from "../testing/backends";
import { rejection } from "../testing/rejection";
import { useTestDatabase } from "../testing/test-database";
import { listUsers } from "./list-users";

describe.each(databaseBackends)("listUsers: search and pages on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  /** A word no other user's email or name holds, so a search sees only this suite's users. */
  const tag = `zq${randomUUID().slice(0, 6)}`;
  const emails: string[] = [];

  beforeAll(async () => {
    const email = `admin-${randomUUID()}@lake.test`;
    await bootstrapAdmin({ db: db(), email, password: "bootstrap admin password" });
    const row = await db().prisma.user.findUniqueOrThrow({ where: { email } });
    admin = {
      userId: row.id,
      email,
      roles: ["admin"],
      permissions: new Set(["read", "write", "delete"]),
      via: "session",
    };
    // Seven tagged users; the name carries the tag for two of them, the email for the rest.
    for (let i = 0; i < 7; i++) {
      const inEmail = i >= 2;
      const address = inEmail ? `u${i}-${tag}@lake.test` : `u${i}-${randomUUID()}@lake.test`;
      await db().prisma.user.create({
        data: {
          email: address,
          name: inEmail ? `User ${i}` : `Ada ${tag.toUpperCase()} ${i}`,
          passwordHash: "unused",
        },
      });
      emails.push(address);
    }
    // Lookalikes for LIKE wildcards: "_" and "%" must be taken literally.
    await db().prisma.user.create({
      data: { email: `under_score-${tag}@lake.test`, passwordHash: "unused" },
    });
  });

  it("finds users by email or name, in any case", async () => {
    const found = await listUsers({ db: db(), principal: admin, search: ` ${tag.toUpperCase()} ` });
    expect(found.total).toBe(8);
    expect(found.items.map((user) => user.email)).toEqual(
      [...emails, `under_score-${tag}@lake.test`].sort(),
    );
    const byName = await listUsers({ db: db(), principal: admin, search: `ada ${tag}` });
    expect(byName.items.map((user) => user.email)).toEqual(emails.slice(0, 2).sort());
    const none = await listUsers({ db: db(), principal: admin, search: `nobody-${tag}` });
    expect(none).toEqual({ items: [], total: 0, page: 1, pageSize: 25 });
  });

  it("takes _ and % literally", async () => {
    const underscore = await listUsers({
      db: db(),
      principal: admin,
      search: `under_score-${tag}`,
    });
    expect(underscore.items.map((user) => user.email)).toEqual([`under_score-${tag}@lake.test`]);
    const percent = await listUsers({ db: db(), principal: admin, search: `u%-${tag}` });
    expect(percent.total).toBe(0);
    const anyChar = await listUsers({ db: db(), principal: admin, search: `u_-${tag}` });
    expect(anyChar.total).toBe(0);
  });

  it("pages in email order without duplicates or gaps, with the total on every page", async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const result = await listUsers({
        db: db(),
        principal: admin,
        search: tag,
        page,
        pageSize: 3,
      });
      expect(result).toMatchObject({ total: 8, page, pageSize: 3 });
      expect(result.items.length).toBe(page === 3 ? 2 : 3);
      seen.push(...result.items.map((user) => user.email));
    }
    expect(seen).toEqual([...emails, `under_score-${tag}@lake.test`].sort());
    const past = await listUsers({ db: db(), principal: admin, search: tag, page: 4, pageSize: 3 });
    expect(past).toMatchObject({ items: [], total: 8 });
  });

  it("lists everyone without a search, and an empty search is none", async () => {
    const all = await listUsers({ db: db(), principal: admin, search: "   ", pageSize: 100 });
    expect(all.total).toBe(9);
    expect(all.items.map((user) => user.email)).toContain(admin.email);
  });

  it("rejects invalid pages and sizes, and non-administrators", async () => {
    for (const options of [{ page: 0 }, { page: 1.5 }, { pageSize: 0 }, { pageSize: 101 }]) {
      const error = await rejection(listUsers({ db: db(), principal: admin, ...options }));
      expect(error.code, JSON.stringify(options)).toBe("validation_failed");
    }
    const reader: Principal = { ...admin, roles: ["reader"], permissions: new Set(["read"]) };
    expect((await rejection(listUsers({ db: db(), principal: reader }))).code).toBe("forbidden");
  });
});
