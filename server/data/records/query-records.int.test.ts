import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { type Dataset, type Prisma } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";
import { databaseBackends } from "../../testing/backends";
import { useTestDatabase } from "../../testing/test-database";
import { createTestUser } from "../../testing/identity-fixtures";
import { parseRecordQuery } from "./query/parse-record-query";
import { queryRecords } from "./query-records";

type Payload = Record<string, unknown>;
type Seeded = { id: string; ownerId: string; archived: boolean; createdAt: Date; payload: Payload };

const BASE_TIME = Date.UTC(2024, 0, 1);
const STATUSES = ["open", "done", "closed", "Done"];
const CITIES = ["Berlin", "Paris", "Lyon, FR", 'O\'Brien "x"'];
const ROBERT = "Robert'); DROP TABLE records;--";

/** Varied on purpose: numbers and strings under one key, missing fields, ties, nested objects. */
function payloadFor(i: number): Payload {
  const payload: Payload = {
    name: i === 0 ? ROBERT : `item-${String(i).padStart(3, "0")}`,
    status: STATUSES[i % 4],
    tags: i % 3 === 0 ? ["red", "blue"] : i % 3 === 1 ? ["red"] : [],
    address: { city: CITIES[i % 4], zip: 10_000 + i },
    seen_at: new Date(BASE_TIME + i * 3_600_000).toISOString(),
    note: i % 20 === 0 ? "50%_off sale" : i % 20 === 1 ? "500 off sale" : "regular",
  };
  if (i % 37 === 0) payload.score = "high";
  else if (i % 41 !== 1) payload.score = (i % 10) + (i % 4 === 0 ? 0.5 : 0);
  if (i % 5 < 3) payload.flag = [true, false, null][i % 5];
  return payload;
}

// jsonb's order across types: null < string < number (a missing key sorts as null).
function jsonbRank(value: unknown): number {
  if (value === undefined || value === null) return 0;
  return typeof value === "string" ? 1 : 2;
}
function compareJsonb(a: unknown, b: unknown): number {
  const rank = jsonbRank(a) - jsonbRank(b);
  if (rank !== 0 || a === undefined || a === null) return rank;
  return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
}

describe.each(databaseBackends)("queryRecords on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  let readerA: Principal;
  let readerB: Principal;
  let people: Dataset;
  let metrics: Dataset;
  let seeded: Seeded[];
  let metricRecords: Seeded[];

  async function seed(dataset: Dataset, count: number, owners: Principal[]): Promise<Seeded[]> {
    const rows = Array.from({ length: count }, (_, i) => ({
      id: randomUUID(),
      datasetId: dataset.id,
      ownerId: owners[i % owners.length]!.userId,
      payload: payloadFor(i),
      archived: i % 17 === 5,
      archivedAt: i % 17 === 5 ? new Date(BASE_TIME) : null,
      // Groups of three share a creation time, so the id must break ties.
      createdAt: new Date(BASE_TIME + Math.floor(i / 3) * 60_000),
      updatedAt: new Date(BASE_TIME + i * 1_000),
    }));
    await db().prisma.record.createMany({
      data: rows.map((row) => ({ ...row, payload: row.payload as Prisma.InputJsonObject })),
    });
    return rows;
  }

  beforeAll(async () => {
    admin = (await createTestUser(db(), "admin")).principal;
    readerA = (await createTestUser(db(), "reader")).principal;
    readerB = (await createTestUser(db(), "reader")).principal;
    const create = (name: string, policy: "user_data" | "analytics") =>
      db().prisma.dataset.create({
        data: { name: `${name}-${randomUUID()}`, policy, ownerId: admin.userId },
      });
    people = await create("people", "user_data");
    metrics = await create("metrics", "analytics");
    seeded = await seed(people, 200, [readerA, readerB, admin]);
    metricRecords = await seed(metrics, 30, [readerB, readerA]);
  });

  const run = (principal: Principal, query: string) =>
    queryRecords({ db: db(), principal, query: parseRecordQuery(new URLSearchParams(query)) });

  /** Ids of all live people records matching `query`, sorted for comparison. */
  const idsOf = async (query: string, principal: Principal = admin) =>
    (await run(principal, `dataset=${people.name}&limit=500&${query}`)).items
      .map((item) => item.id!)
      .sort();

  const expectedIds = (match: (payload: Payload, record: Seeded) => boolean) =>
    seeded
      .filter((record) => !record.archived && match(record.payload, record))
      .map((record) => record.id)
      .sort();

  const field = (payload: Payload, ...path: string[]) =>
    path.reduce<unknown>((value, key) => (value as Payload | undefined)?.[key], payload);

  it.each([
    ["payload.status=eq.done", (p: Payload) => p.status === "done"],
    ["payload.score=eq.3", (p: Payload) => p.score === 3],
    ["payload.flag=neq.true", (p: Payload) => p.flag === false],
    ["payload.flag=not.eq.true", (p: Payload) => p.flag !== true],
    ["payload.score=gt.5", (p: Payload) => typeof p.score === "number" && p.score > 5],
    ["payload.score=gte.4.5", (p: Payload) => typeof p.score === "number" && p.score >= 4.5],
    ["payload.score=lt.2", (p: Payload) => typeof p.score === "number" && p.score < 2],
    ["payload.score=lte.2", (p: Payload) => typeof p.score === "number" && p.score <= 2],
    [
      "payload.score=gte.2&payload.score=lt.4",
      (p: Payload) => [2, 2.5, 3, 3.5].includes(p.score as number),
    ],
    ["payload.score=not.gt.5", (p: Payload) => !(typeof p.score === "number" && p.score > 5)],
    ["payload.score=gt.a", (p: Payload) => p.score === "high"],
    [
      "payload.seen_at=gte.2024-01-03T00:00:00Z&payload.seen_at=lt.2024-01-05T00:00:00.000Z",
      (p: Payload) =>
        (p.seen_at as string) >= "2024-01-03T00:00:00Z" &&
        (p.seen_at as string) < "2024-01-05T00:00:00.000Z",
    ],
    [
      "payload.address.zip=gt.10150",
      (p: Payload) => (field(p, "address", "zip") as number) > 10_150,
    ],
    [
      `payload.address.city=in.(Berlin,"Lyon, FR")`,
      (p: Payload) => ["Berlin", "Lyon, FR"].includes(field(p, "address", "city") as string),
    ],
    [
      `payload.address.city=in.("O'Brien \\"x\\"")`,
      (p: Payload) => field(p, "address", "city") === CITIES[3],
    ],
    [
      "payload.status=not.in.(open,done)",
      (p: Payload) => !["open", "done"].includes(p.status as string),
    ],
    ['payload.tags=cs.["blue"]', (p: Payload) => (p.tags as string[]).includes("blue")],
    ['payload.tags=not.cs.["blue"]', (p: Payload) => !(p.tags as string[]).includes("blue")],
    [
      'payload.address=cs.{"city":"Paris"}',
      (p: Payload) => field(p, "address", "city") === "Paris",
    ],
    ["payload.score=cs.3", (p: Payload) => p.score === 3],
    ["payload.note=like.50%25_off*", (p: Payload) => p.note === "50%_off sale"],
    ["payload.note=like.*off*", (p: Payload) => (p.note as string).includes("off")],
    ["payload.note=not.like.*off*", (p: Payload) => !(p.note as string).includes("off")],
    ["payload.status=ilike.DO*", (p: Payload) => (p.status as string).toLowerCase() === "done"],
    ["payload.status=like.D*", (p: Payload) => p.status === "Done"],
    ["payload.flag=is.null", (p: Payload) => p.flag === undefined || p.flag === null],
    ["payload.flag=not.is.null", (p: Payload) => p.flag === true || p.flag === false],
    ["payload.flag=is.true", (p: Payload) => p.flag === true],
    ["payload.flag=is.false", (p: Payload) => p.flag === false],
    ["payload.nothing.here=is.null", () => true],
    ["payload.nothing=eq.x", () => false],
    ["payload.nothing=not.eq.x", () => true],
  ])("%s returns exactly the matching records", async (query, match) => {
    const expected = expectedIds(match);
    expect(await idsOf(query)).toEqual(expected);
  });

  it("filters on creation and update times", async () => {
    const after = new Date(BASE_TIME + 10 * 60_000);
    const before = new Date(BASE_TIME + 20 * 60_000);
    expect(
      await idsOf(`created_after=${after.toISOString()}&created_before=${before.toISOString()}`),
    ).toEqual(expectedIds((_, r) => r.createdAt > after && r.createdAt < before));
    expect(await idsOf("updated_after=2024-01-01T00:02:00%2B00:00")).toEqual(
      expectedIds((_, r) => seeded.indexOf(r) > 120),
    );
  });

  it("excludes archived records unless asked", async () => {
    expect(await idsOf("")).toEqual(expectedIds(() => true));
    const archived = seeded
      .filter((r) => r.archived)
      .map((r) => r.id)
      .sort();
    expect(archived.length).toBeGreaterThan(0);
    expect(await idsOf("archived=true")).toEqual(archived);
    expect(await idsOf("archived=all")).toEqual(seeded.map((r) => r.id).sort());
  });

  it.each(["asc", "desc"] as const)(
    "sorts by a payload field %s, ties broken by id",
    async (direction) => {
      const { items } = await run(
        admin,
        `dataset=${people.name}&limit=500&order=payload.score.${direction}`,
      );
      const sign = direction === "asc" ? 1 : -1;
      const expected = seeded
        .filter((r) => !r.archived)
        .sort(
          (a, b) => sign * compareJsonb(a.payload.score, b.payload.score) || (a.id < b.id ? -1 : 1),
        )
        .map((r) => r.id);
      expect(items.map((item) => item.id)).toEqual(expected);
    },
  );

  it("sorts by several keys, and by id", async () => {
    const { items } = await run(
      admin,
      `dataset=${metrics.id}&order=payload.status.desc,created_at.asc&limit=500`,
    );
    const expected = metricRecords
      .filter((r) => !r.archived)
      .sort(
        (a, b) =>
          -compareJsonb(a.payload.status, b.payload.status) ||
          a.createdAt.getTime() - b.createdAt.getTime() ||
          (a.id < b.id ? -1 : 1),
      )
      .map((r) => r.id);
    expect(items.map((item) => item.id)).toEqual(expected);
    const byId = await run(admin, `dataset=${metrics.id}&order=id.desc&limit=500`);
    expect(byId.items.map((item) => item.id)).toEqual([...expected].sort().reverse());
  });

  it.each([
    ["order=payload.score.desc,created_at.asc", 7],
    ["", 13],
    ["order=payload.address.city.asc,updated_at.desc", 11],
  ])(
    "visits every record once across pages (%s), even with inserts between pages",
    async (order, limit) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof run>> = await run(
          admin,
          `dataset=${people.name}&limit=${limit}&${order}${cursor ? `&cursor=${cursor}` : ""}`,
        );
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...page.items.map((item) => item.id!));
        cursor = page.next_cursor;
        pages += 1;
        await db().prisma.record.create({
          data: {
            datasetId: people.id,
            ownerId: readerA.userId,
            payload: { score: pages % 7, address: { city: "Berlin" }, inserted: true },
          },
        });
      } while (cursor && pages < 100);
      expect(cursor).toBeNull();
      expect(new Set(seen).size).toBe(seen.length);
      const original = new Set(seen.filter((id) => seeded.some((r) => r.id === id)));
      expect([...original].sort()).toEqual(expectedIds(() => true));
      await db().prisma.record.deleteMany({
        where: { payload: { path: ["inserted"], equals: true } },
      });
    },
  );

  it("counts all matches with count=exact", async () => {
    const page = await run(
      admin,
      `dataset=${people.name}&payload.status=eq.open&limit=5&count=exact`,
    );
    const expected = expectedIds((p) => p.status === "open");
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(expected.length);
    expect(page.next_cursor).not.toBeNull();
    const next = await run(
      admin,
      `dataset=${people.name}&payload.status=eq.open&limit=5&count=exact&cursor=${page.next_cursor}`,
    );
    expect(next.total).toBe(expected.length);
    expect((await run(admin, `dataset=${people.name}`)).total).toBeUndefined();
  });

  it("projects selected fields and payload paths", async () => {
    const { items } = await run(
      admin,
      `dataset=${people.name}&select=id,created_at,payload.name,payload.address.city,payload.missing&order=payload.name&payload.name=like.item-00*&limit=2`,
    );
    const [first] = seeded.filter((r) => !r.archived && r.payload.name === "item-001");
    expect(items[0]).toEqual({
      id: first!.id,
      created_at: first!.createdAt.toISOString(),
      payload: { name: "item-001", address: { city: CITIES[1] } },
    });
    // Fields keep the order of a whole record view.
    expect(Object.keys(items[1]!)).toEqual(["id", "payload", "created_at"]);
    const whole = await run(
      admin,
      `dataset=${people.name}&select=owner_id,payload&payload.name=eq.item-001`,
    );
    expect(whole.items).toEqual([{ owner_id: first!.ownerId, payload: first!.payload }]);
  });

  describe("policies", () => {
    it("shows a reader only its own records of a user_data dataset", async () => {
      const { items, total } = await run(readerA, `dataset=${people.name}&limit=500&count=exact`);
      const own = expectedIds((_, r) => r.ownerId === readerA.userId);
      expect(items.map((item) => item.id).sort()).toEqual(own);
      expect(total).toBe(own.length);
    });

    it("shows a reader every record of an analytics dataset", async () => {
      const { items } = await run(readerA, `dataset=${metrics.name}&limit=500`);
      const live = metricRecords
        .filter((r) => !r.archived)
        .map((r) => r.id)
        .sort();
      expect(items.map((item) => item.id).sort()).toEqual(live);
      expect(new Set(items.map((item) => item.owner_id)).size).toBe(2);
    });

    it("shows a reader only its own records when no dataset is named", async () => {
      const { items } = await run(readerB, "limit=500");
      const own = [...seeded, ...metricRecords]
        .filter((r) => !r.archived && r.ownerId === readerB.userId)
        .map((r) => r.id)
        .sort();
      expect(items.map((item) => item.id).sort()).toEqual(own);
    });

    it("lets an admin see all, and filter by owner", async () => {
      expect(await idsOf("")).toHaveLength(seeded.filter((r) => !r.archived).length);
      expect(await idsOf(`owner=${readerB.userId}`)).toEqual(
        expectedIds((_, r) => r.ownerId === readerB.userId),
      );
      const everywhere = await run(admin, `owner=${readerA.userId}&limit=500`);
      expect(everywhere.items.map((item) => item.id).sort()).toEqual(
        [...seeded, ...metricRecords]
          .filter((r) => !r.archived && r.ownerId === readerA.userId)
          .map((r) => r.id)
          .sort(),
      );
    });

    it("forbids owner= another user to non-admins; their own id narrows a shared dataset to theirs", async () => {
      for (const query of [
        `owner=${readerB.userId}`,
        `dataset=${metrics.name}&owner=${readerB.userId}`,
      ]) {
        await expect(run(readerA, query)).rejects.toMatchObject({ code: "forbidden", status: 403 });
      }
      const everyone = await run(readerA, `dataset=${metrics.name}`);
      const own = await run(readerA, `dataset=${metrics.name}&owner=${readerA.userId}`);
      expect(new Set(everyone.items.map((item) => item.owner_id)).size).toBeGreaterThan(1);
      expect(own.items.length).toBeGreaterThan(0);
      expect(own.items.every((item) => item.owner_id === readerA.userId)).toBe(true);
    });

    it("needs the read permission first", async () => {
      const noRead = { ...readerA, permissions: new Set<never>() };
      for (const query of ["", `dataset=${metrics.name}`]) {
        await expect(run(noRead, query)).rejects.toMatchObject({ code: "forbidden", status: 403 });
      }
    });

    it("answers 404 for an unknown dataset", async () => {
      await expect(run(admin, `dataset=${randomUUID()}`)).rejects.toMatchObject({
        code: "not_found",
      });
    });
  });

  describe("injection attempts", () => {
    const parse = (query: string) => parseRecordQuery(new URLSearchParams(query));

    it("fail validation in keys, paths, order and select", () => {
      for (const query of [
        "payload.name'--=eq.x",
        `${encodeURIComponent("payload.name;DROP TABLE records")}=eq.x`,
        "order=created_at;DROP TABLE records",
        `order=${encodeURIComponent("payload.name') desc, (select 1")}`,
        "select=id,payload::text",
        `${encodeURIComponent("1=1 OR archived")}=true`,
      ]) {
        expect(() => parse(query)).toThrow(AppError);
        try {
          parse(query);
        } catch (error) {
          expect(error).toMatchObject({ code: "bad_request", status: 400 });
        }
      }
    });

    it("treat values as data, and leave the table intact", async () => {
      const before = await db().prisma.record.count();
      const robert = await idsOf(`payload.name=eq.${encodeURIComponent(ROBERT)}`);
      expect(robert).toEqual([seeded[0]!.id]);
      for (const query of [
        `payload.name=eq.${encodeURIComponent("'; DROP TABLE records; --")}`,
        `payload.name=in.(${encodeURIComponent(`"x') OR true --"`)})`,
        `payload.tags=cs.${encodeURIComponent(`["'; DELETE FROM records; --"]`)}`,
        `payload.name=like.${encodeURIComponent("' OR '1'='1")}`,
      ]) {
        expect(await idsOf(query)).toEqual([]);
      }
      // Not a number, so a text bound: only the string scores ("high") sort after it.
      for (const bound of ["0 OR 1=1", "1); DROP TABLE records; --"]) {
        expect(await idsOf(`payload.score=gt.${encodeURIComponent(bound)}`)).toEqual(
          expectedIds((p) => p.score === "high"),
        );
      }
      await expect(
        run(admin, `dataset=${encodeURIComponent(`${people.name}' OR '1'='1`)}`),
      ).rejects.toMatchObject({
        code: "not_found",
      });
      expect(await db().prisma.record.count()).toBe(before);
    });
  });
});
