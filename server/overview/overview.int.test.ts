import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { listRecentActivity } from "../audit/list-recent-activity";
import { type AuditAction } from "../audit/audit-actions";
import { recordAudit } from "../audit/record-audit";
import { type Permission, type Principal } from "../auth/principal";
import { databaseBackends } from "../testing/backends";
import { rejection } from "../testing/rejection";
import { useTestDatabase } from "../testing/test-database";
import { getDataVolumes } from "./get-data-volumes";
import { estimateRecordRows } from "./overview.queries";

const NOW = new Date("2026-03-15T10:00:00Z");

describe.each(databaseBackends)("the overview's figures on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  let reader: Principal;

  async function user(roles: string[], permissions: Permission[]): Promise<Principal> {
    const email = `${roles[0]}-${randomUUID()}@lake.test`;
    const row = await db().prisma.user.create({ data: { email, passwordHash: "unused" } });
    return { userId: row.id, email, roles, permissions: new Set(permissions), via: "session" };
  }

  async function dataset(owner: Principal, policy: "analytics" | "user_data") {
    return db().prisma.dataset.create({
      data: { name: `ds-${randomUUID()}`, ownerId: owner.userId, policy },
    });
  }

  async function records(datasetId: string, owner: Principal, count: number, archived = false) {
    await db().prisma.record.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        datasetId,
        ownerId: owner.userId,
        payload: { i },
        archived,
      })),
    });
  }

  async function importJob(owner: Principal, datasetId: string, createdAt: Date, status: string) {
    await db().prisma.importJob.create({
      data: {
        ownerId: owner.userId,
        datasetId,
        uploadId: randomUUID(),
        format: "csv",
        status: status as "succeeded",
        rowsLoaded: status === "succeeded" ? 10n : 0n,
        createdAt,
      },
    });
  }

  beforeAll(async () => {
    admin = await user(["admin"], ["read", "write", "delete"]);
    reader = await user(["reader"], ["read"]);
    const shared = await dataset(admin, "analytics");
    const private_ = await dataset(admin, "user_data");
    await records(shared.id, admin, 3);
    await records(shared.id, reader, 2);
    await records(private_.id, admin, 4);
    await records(private_.id, reader, 1);
    await records(private_.id, admin, 5, true);
    await importJob(admin, shared.id, new Date("2026-03-15T09:00:00Z"), "succeeded");
    await importJob(reader, shared.id, new Date("2026-03-15T00:30:00Z"), "failed");
    await importJob(reader, shared.id, new Date("2026-03-10T23:59:00Z"), "succeeded");
    // Outside the 14 days (which start 2026-03-02 UTC).
    await importJob(admin, shared.id, new Date("2026-03-01T23:59:59Z"), "succeeded");
  });

  it("gives an administrator the instance's totals and everyone's imports per UTC day", async () => {
    const volumes = await getDataVolumes({ db: db(), principal: admin, now: NOW });
    expect(volumes.datasets).toBe(2);
    expect(volumes.records).toEqual({ count: 10, method: "exact", scope: "all" });
    expect(volumes.imports.scope).toBe("all");
    expect(volumes.imports.days).toHaveLength(14);
    expect(volumes.imports.days[0]!.day).toBe("2026-03-02");
    expect(volumes.imports.days.at(-1)).toEqual({
      day: "2026-03-15",
      started: 2,
      succeeded: 1,
      failed: 1,
      rowsLoaded: 10,
    });
    expect(volumes.imports.days.find((d) => d.day === "2026-03-10")?.started).toBe(1);
    expect(volumes.imports.days.reduce((sum, d) => sum + d.started, 0)).toBe(3);
  });

  it("gives anyone else the records their policies show and only their own imports", async () => {
    const volumes = await getDataVolumes({ db: db(), principal: reader, now: NOW });
    expect(volumes.datasets).toBe(2);
    // The analytics dataset's 5, and the reader's own one in the user_data dataset.
    expect(volumes.records).toEqual({ count: 6, method: "exact", scope: "visible" });
    expect(volumes.imports.scope).toBe("own");
    expect(volumes.imports.days.reduce((sum, d) => sum + d.started, 0)).toBe(2);
  });

  it("refuses a principal without read", async () => {
    const writer = await user(["writer"], ["write"]);
    const error = await rejection(getDataVolumes({ db: db(), principal: writer, now: NOW }));
    expect(error.code).toBe("forbidden");
  });

  it("estimates a large table's rows from the catalog", async () => {
    const big = await dataset(admin, "analytics");
    await db().prisma.$executeRaw`
      insert into records (id, dataset_id, owner_id, payload, updated_at)
      select gen_random_uuid(), ${big.id}::uuid, ${admin.userId}::uuid, '{}'::jsonb, now()
      from generate_series(1, 5000)`;
    await db().prisma.$executeRawUnsafe("analyze records");
    const estimate = await estimateRecordRows(db().prisma);
    expect(estimate).toBeGreaterThan(5015 * 0.8);
    expect(estimate).toBeLessThan(5015 * 1.2);
  });

  it("shows an administrator everyone's recent activity and anyone else only their own", async () => {
    const prefix = `t${randomUUID().slice(0, 8)}.`;
    for (const actor of [admin, reader, admin]) {
      await recordAudit(db(), {
        actor,
        // Unique per test, so not one of AUDIT_ACTIONS.
        action: `${prefix}did` as AuditAction,
        resource: { type: "test", id: actor.userId },
      });
    }
    // Done to the reader by an administrator: not the reader's own activity.
    await recordAudit(db(), {
      actor: admin,
      action: `${prefix}reset` as AuditAction,
      resource: { type: "user", id: reader.userId },
    });

    const all = await listRecentActivity({ db: db(), principal: admin });
    expect(all.scope).toBe("all");
    expect(all.items.slice(0, 4).map((item) => [item.action, item.actorEmail])).toEqual([
      [`${prefix}reset`, admin.email],
      [`${prefix}did`, admin.email],
      [`${prefix}did`, reader.email],
      [`${prefix}did`, admin.email],
    ]);

    const own = await listRecentActivity({ db: db(), principal: reader });
    expect(own.scope).toBe("own");
    expect(own.items.map((item) => [item.action, item.actorEmail])).toEqual([
      [`${prefix}did`, reader.email],
    ]);
  });
});
