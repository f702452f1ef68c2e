import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../auth/principal";
import { databaseBackends } from "../testing/backends";
import { createTestUser } from "../testing/identity-fixtures";
import { rejection } from "../testing/rejection";
import { useTestDatabase } from "../testing/test-database";
import { importVolume, recordActivity } from "./platform-activity";
import { windowSeries } from "./window-series";

const MINUTE = 60_000;

describe.each(databaseBackends)("analytics on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  let alice: Principal;
  let bob: Principal;
  beforeAll(async () => {
    admin = (await createTestUser(db(), "admin")).principal;
    alice = (await createTestUser(db(), "reader")).principal;
    bob = (await createTestUser(db(), "reader")).principal;
  });
  const name = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;
  const t0 = Date.UTC(2026, 11, 1, 12, 0, 0);

  it("merges windows into steps and groups: counts and sums add, avg divides, min and max of the parts", async () => {
    const rule = await db().prisma.aggregationRule.create({
      data: {
        name: name("lat"),
        topic: "system_metrics",
        windowSeconds: 60,
        graceSeconds: 0,
        functions: ["count", "avg", "max", "min", "sum"],
        field: "payload.value",
        groupBy: ["payload.host"],
      },
    });
    const windows = Array.from({ length: 10 }, (_, i) =>
      ["a", "b"].map((host, h) => ({
        ruleId: rule.id,
        windowStart: new Date(t0 + i * MINUTE),
        windowEnd: new Date(t0 + (i + 1) * MINUTE),
        groupKey: JSON.stringify([host]),
        groupValues: { "payload.host": host },
        policy: "analytics" as const,
        count: BigInt(i + 1 + h),
        sum: (i + 1) * 10 + h,
        min: i,
        max: 100 - i + h,
      })),
    ).flat();
    await db().prisma.windowAggregate.createMany({ data: windows });
    const range = {
      from: new Date(t0).toISOString(),
      to: new Date(t0 + 10 * MINUTE).toISOString(),
      step: 120,
    };

    const merged = await windowSeries({
      db: db(),
      principal: alice,
      query: { ...range, rule: rule.name, function: "avg", group_by: "" },
    });
    expect(merged.series).toHaveLength(1);
    // Expected, from the rows this test wrote: steps of two windows, both hosts.
    const expected = Array.from({ length: 5 }, (_, s) => {
      const parts = windows.filter(
        (w) => Math.floor((w.windowStart.getTime() - t0) / (2 * MINUTE)) === s,
      );
      const count = parts.reduce((n, w) => n + Number(w.count), 0);
      const sum = parts.reduce((n, w) => n + w.sum, 0);
      return { t: new Date(t0 + s * 2 * MINUTE).toISOString(), value: sum / count, count };
    });
    const points = merged.series[0]!.points;
    expect(points.map(({ t, count }) => ({ t, count }))).toEqual(
      expected.map(({ t, count }) => ({ t, count })),
    );
    points.forEach((point, i) => expect(point.value).toBeCloseTo(expected[i]!.value, 9));

    const perHost = await windowSeries({
      db: db(),
      principal: alice,
      query: { ...range, rule: rule.id, function: "max" },
    });
    expect(perHost.series.map((s) => s.group)).toEqual([
      { "payload.host": "a" },
      { "payload.host": "b" },
    ]);
    expect(perHost.series[1]!.points[0]).toEqual({
      t: new Date(t0).toISOString(),
      value: 101,
      count: 5,
    });

    for (const [query, message] of [
      [{ ...range, from: range.to, to: range.from }, /inverted/],
      [
        { ...range, to: "2027-12-01T00:00:00Z", step: 60 },
        /too long for this step.*use step ≥ \d+/,
      ],
      [{ ...range, step: 90 }, /use 60 or a multiple/],
      [{ ...range, group_by: "payload.zone" }, /groups by payload.host/],
    ] as const) {
      const error = await rejection(
        windowSeries({
          db: db(),
          principal: alice,
          query: { rule: rule.name, function: "avg", ...query },
        }),
      );
      expect(error).toMatchObject({ code: "validation_failed" });
      expect(JSON.stringify((error as { details: unknown }).details)).toMatch(message);
    }
  });

  it("counts records created, updated and deleted per dataset and step, each owner its own", async () => {
    const shared = await db().prisma.dataset.create({
      data: { name: name("shared"), ownerId: admin.userId, policy: "analytics" },
    });
    const own = await db().prisma.dataset.create({
      data: { name: name("own"), ownerId: admin.userId, policy: "user_data" },
    });
    const at = (minutes: number) => new Date(t0 + minutes * MINUTE);
    await db().prisma.record.createMany({
      data: [
        { datasetId: shared.id, ownerId: alice.userId, payload: {}, createdAt: at(1) },
        { datasetId: shared.id, ownerId: bob.userId, payload: {}, createdAt: at(2) },
        { datasetId: shared.id, ownerId: bob.userId, payload: {}, createdAt: at(61) },
        { datasetId: own.id, ownerId: alice.userId, payload: {}, createdAt: at(3) },
        { datasetId: own.id, ownerId: bob.userId, payload: {}, createdAt: at(4) },
      ],
    });
    await db().pool.query(
      `INSERT INTO stream_log (id, head) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`,
    );
    const { rows: head } = await db().pool.query<{ head: string }>(
      "UPDATE stream_log SET head = head + 2 WHERE id = 1 RETURNING head::text AS head",
    );
    await db().pool.query(
      `INSERT INTO stream_events ("offset", topic, partition_key, event_id, event_time, owner_id,
                                  policy, dataset_id, payload)
       VALUES ($1, 'records', 'r1', $3, $5, $6, 'analytics', $7, '{"action": "update"}'),
              ($2, 'records', 'r2', $4, $5, $6, 'analytics', $7, '{"action": "delete"}')`,
      [
        BigInt(head[0]!.head) - 1n,
        head[0]!.head,
        randomUUID(),
        randomUUID(),
        at(30),
        bob.userId,
        shared.id,
      ],
    );
    const range = {
      from: new Date(t0).toISOString(),
      to: new Date(t0 + 120 * MINUTE).toISOString(),
      step: 3600,
    };
    const counted = async (principal: Principal, dataset: string) =>
      (await recordActivity({ db: db(), principal, query: { ...range, dataset } })).points;
    // Computed apart: the records and events this test wrote, by hour.
    expect(await counted(alice, shared.name)).toEqual([
      { t: at(0).toISOString(), dataset: shared.name, created: 2, updated: 1, deleted: 1 },
      { t: at(60).toISOString(), dataset: shared.name, created: 1, updated: 0, deleted: 0 },
    ]);
    expect(await counted(alice, own.name)).toEqual([
      { t: at(0).toISOString(), dataset: own.name, created: 1, updated: 0, deleted: 0 },
    ]);
    expect((await counted(admin, own.name))[0]).toMatchObject({ created: 2 });
  });

  it("sums finished imports per step, the caller's own", async () => {
    const dataset = await db().prisma.dataset.create({
      data: { name: name("imp"), ownerId: alice.userId },
    });
    const job = (
      ownerId: string,
      minutes: number,
      status: "succeeded" | "failed",
      rows: number,
    ) => ({
      ownerId,
      datasetId: dataset.id,
      uploadId: randomUUID(),
      format: "csv",
      status,
      bytesTotal: BigInt(rows * 10),
      rowsLoaded: BigInt(status === "succeeded" ? rows : 0),
      rowsRejected: BigInt(status === "failed" ? rows : 0),
      finishedAt: new Date(t0 + minutes * MINUTE),
    });
    await db().prisma.importJob.createMany({
      data: [
        job(alice.userId, 5, "succeeded", 100),
        job(alice.userId, 10, "failed", 7),
        job(bob.userId, 15, "succeeded", 1000),
      ],
    });
    const query = {
      from: new Date(t0).toISOString(),
      to: new Date(t0 + 60 * MINUTE).toISOString(),
      step: 3600,
    };
    const { points } = await importVolume({ db: db(), principal: alice, query });
    expect(points).toEqual([
      {
        t: new Date(t0).toISOString(),
        jobs: 2,
        succeeded: 1,
        failed: 1,
        rows_loaded: 100,
        rows_rejected: 7,
        bytes: 1070,
      },
    ]);
    expect((await importVolume({ db: db(), principal: admin, query })).points[0]!.jobs).toBe(3);
  });
});
