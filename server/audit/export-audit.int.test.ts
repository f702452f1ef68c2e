import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { bootstrapAdmin } from "../auth/bootstrap-admin";
import { type Principal } from "../auth/principal";
import { GET as exportRoute } from "../doors/rest/routes/audit-export";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey } from "../testing/identity-fixtures";
import { rejection } from "../testing/rejection";
import { useTestServices } from "../testing/test-services";
import { AUDIT_ACTIONS } from "./audit-actions";
import { AUDIT_CSV_COLUMNS, exportAudit } from "./export-audit";
import { listAudit } from "./list-audit";

/** Parses the export's CSV (RFC 4180: quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted && char === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ",") {
      row.push(field);
      field = "";
    } else if (!quoted && char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else {
      field += char;
    }
  }
  return rows;
}

describe.each(databaseBackends)("audit filters and CSV export on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);
  let admin: Principal;

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
  });

  const uniquePrefix = () => `t${randomUUID().slice(0, 8)}.`;

  async function entry(action: string, resourceType: string, resourceId: string | null) {
    const row = await db().prisma.auditLog.create({
      data: {
        action,
        actorId: admin.userId,
        actorType: "session",
        resourceType,
        resourceId,
        summary: { name: '=HYPERLINK("x")', note: 'a "quoted", multi\r\nline' },
        ip: "192.0.2.7",
      },
    });
    return row.id.toString();
  }

  it("lists the actions by area, each name once, under its own area", () => {
    const all = Object.values(AUDIT_ACTIONS).flat();
    expect(new Set(all).size).toBe(all.length);
    for (const [area, actions] of Object.entries(AUDIT_ACTIONS)) {
      for (const action of actions) expect(action.startsWith(`${area}.`), action).toBe(true);
    }
  });

  it("filters the list by resource type and id, exactly", async () => {
    const prefix = uniquePrefix();
    const userA = await entry(`${prefix}x`, "user", "a");
    await entry(`${prefix}x`, "user", "ab");
    const recordA = await entry(`${prefix}x`, "record", "a");
    const byType = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: prefix, resourceType: "record" },
    });
    expect(byType.items.map((item) => item.id)).toEqual([recordA]);
    const byBoth = await listAudit({
      db: db(),
      principal: admin,
      filter: { action: prefix, resourceType: "user", resourceId: " a " },
    });
    expect(byBoth.items.map((item) => item.id)).toEqual([userA]);
  });

  it("exports every matching entry as CSV, newest first, across pages of the stream", async () => {
    const prefix = uniquePrefix();
    const ids: string[] = [];
    // More than one page of the stream (1000 entries).
    await db().prisma.auditLog.createMany({
      data: Array.from({ length: 1005 }, (_, i) => ({
        action: `${prefix}bulk`,
        actorType: "anonymous",
        resourceType: "test",
        resourceId: String(i),
      })),
    });
    ids.push(await entry(`${prefix}last`, "user", "u1"));

    const { filename, body } = await exportAudit({
      db: db(),
      principal: admin,
      filter: { action: prefix },
    });
    expect(filename).toMatch(/^audit-log-.+\.csv$/);
    const rows = parseCsv(await new Response(body).text());
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 1006);
    const first = Object.fromEntries(AUDIT_CSV_COLUMNS.map((column, i) => [column, rows[1]![i]]));
    expect(first).toMatchObject({
      id: ids[0],
      actor_id: admin.userId,
      actor_email: admin.email,
      actor_type: "session",
      action: `${prefix}last`,
      resource_type: "user",
      resource_id: "u1",
      ip: "192.0.2.7",
      request_id: "",
    });
    expect(JSON.parse(first.summary!)).toEqual({
      name: '=HYPERLINK("x")',
      note: 'a "quoted", multi\r\nline',
    });
    const bulkIds = rows.slice(2).map((row) => BigInt(row[0]!));
    expect(bulkIds.every((id, i) => i === 0 || id < bulkIds[i - 1]!)).toBe(true);
    expect(new Set(rows.slice(2).map((row) => row[7])).size).toBe(1005);
  });

  it("defuses text a spreadsheet would run as a formula", async () => {
    const prefix = uniquePrefix();
    await entry(`${prefix}x`, "=cmd|' /C calc'!A0", "@SUM(1)");
    const { body } = await exportAudit({ db: db(), principal: admin, filter: { action: prefix } });
    const [, row] = parseCsv(await new Response(body).text());
    expect(row![6]).toBe("'=cmd|' /C calc'!A0");
    expect(row![7]).toBe("'@SUM(1)");
  });

  it("is for administrators with read, and checks the filter before streaming", async () => {
    const reader: Principal = { ...admin, roles: ["reader"], permissions: new Set(["read"]) };
    expect((await rejection(exportAudit({ db: db(), principal: reader }))).code).toBe("forbidden");
    const writeOnlyKey: Principal = { ...admin, permissions: new Set(["write"]), via: "api_key" };
    expect((await rejection(exportAudit({ db: db(), principal: writeOnlyKey }))).code).toBe(
      "forbidden",
    );
    const backwards = await rejection(
      exportAudit({
        db: db(),
        principal: admin,
        filter: { from: new Date(2025, 1, 2), to: new Date(2025, 1, 1) },
      }),
    );
    expect(backwards.code).toBe("validation_failed");
    // Times JavaScript takes but the database driver does not (a fuzz run found these cutting
    // the answer off after its header).
    for (const from of ["0000-01-01", "-000001-01-01T00:00:00Z", "10000-01-01T00:00:00Z"]) {
      const refused = await rejection(
        exportAudit({ db: db(), principal: admin, filter: { from } }),
      );
      expect(refused.code).toBe("validation_failed");
    }
  });

  it("an actor nobody has exports the header only", async () => {
    const { body } = await exportAudit({
      db: db(),
      principal: admin,
      filter: { actorEmail: `nobody-${randomUUID()}@lake.test` },
    });
    expect(await new Response(body).text()).toBe(`${AUDIT_CSV_COLUMNS.join(",")}\r\n`);
  });

  it("GET /api/v1/lake/audit/export: 401 without a credential, 403 for a reader, CSV for an admin", async () => {
    const prefix = uniquePrefix();
    const id = await entry(`${prefix}x`, "user", "r1");
    const get = (headers: Record<string, string>) =>
      exportRoute(
        new Request(
          `http://lake.test/api/v1/lake/audit/export?action=${encodeURIComponent(prefix)}&resourceType=user`,
          { headers },
        ),
      );
    expect((await get({})).status).toBe(401);
    const { key: readerKey } = await createTestKey(db(), "reader", ["read"]);
    expect((await get({ "x-api-key": readerKey })).status).toBe(403);
    const { key: adminKey } = await createTestKey(db(), "admin", ["read"]);
    const response = await get({ "x-api-key": adminKey });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="audit-log-.+\.csv"$/,
    );
    const rows = parseCsv(await response.text());
    expect(rows.map((row) => row[0])).toEqual(["id", id]);
    const bad = await exportRoute(
      new Request("http://lake.test/api/v1/lake/audit/export?from=yesterday", {
        headers: { "x-api-key": adminKey },
      }),
    );
    expect(bad.status).toBe(400);
  });
});
