import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { GET as exportData } from "../../../doors/rest/routes/data-export";
import { GET as queryData } from "../../../doors/rest/routes/data";

import { type Database } from "../../../db/client";
import { databaseBackends, redisBackends } from "../../../testing/backends";
import { createTestKey, createTestProducer } from "../../../testing/identity-fixtures";
import { useTestServices } from "../../../testing/test-services";

type Json = Record<string, unknown>;

const get = (path: string, key?: string) =>
  new Request(`http://lake.test${path}`, { headers: key ? { "x-api-key": key } : {} });

/** Records straight into the table (many at once): the export reads them, nothing else here does. */
async function insertRecords(db: Database, datasetId: string, ownerId: string, payloads: Json[]) {
  await db.pool.query(
    `INSERT INTO records (id, dataset_id, owner_id, payload, updated_at)
     SELECT gen_random_uuid(), $1::uuid, $2::uuid, p, now()
     FROM unnest($3::jsonb[]) WITH ORDINALITY AS t(p, i) ORDER BY i`,
    [datasetId, ownerId, payloads.map((payload) => JSON.stringify(payload))],
  );
}

/** Reads a whole body as text, chunk by chunk, counting the chunks. */
async function readAll(response: Response): Promise<{ text: string; chunks: number }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), chunks };
    chunks++;
    text += decoder.decode(value, { stream: true });
  }
}

describe.each(databaseBackends)("GET /api/v1/lake/data/export on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  async function dataset(options: { policy?: "user_data" | "analytics"; jsonSchema?: Json } = {}) {
    const owner = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    const row = await db().prisma.dataset.create({
      data: {
        name: `export-${randomUUID()}`,
        ownerId: owner.principal.userId,
        policy: options.policy ?? "user_data",
        jsonSchema: options.jsonSchema as never,
      },
    });
    return { ...row, adminKey: owner.key, adminId: owner.principal.userId };
  }

  it("streams a query's records as CSV in schema order, quoting nested payloads", async () => {
    const ds = await dataset({
      policy: "analytics",
      jsonSchema: {
        type: "object",
        properties: { status: { type: "string" }, total: { type: "number" }, meta: {} },
      },
    });
    await insertRecords(db(), ds.id, ds.adminId, [
      { status: "paid", total: 10, meta: { note: 'said "hi", twice' }, extra: "a\nb" },
      { status: "paid", total: 2.5, meta: [1, "x,y"] },
      { status: "open", total: 99 },
    ]);
    const reader = await createTestKey(db(), "reader", ["read"]);
    const response = await exportData(
      get(
        `/api/v1/lake/data/export?dataset=${ds.name}&payload.status=eq.paid&order=payload.total.asc&select=id,created_at,payload`,
        reader.key,
      ),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="${ds.name}-[0-9TZ-]+\\.csv"$`),
    );
    expect(response.headers.get("ratelimit-limit")).toBe("1000");
    const lines = (await response.text()).split("\r\n");
    // The schema's properties first, in the order the schema was written (it is stored as
    // written, not as jsonb, which would sort its keys shortest first), then keys only the
    // records have; nested values as JSON, quoted.
    expect(lines[0]).toBe(
      "id,created_at,payload.status,payload.total,payload.meta,payload.extra,payload_other",
    );
    expect(lines[1]).toMatch(/^[0-9a-f-]{36},[^,]+,paid,2\.5,"\[1,""x,y""\]",,$/);
    expect(lines[2]).toMatch(
      /^[0-9a-f-]{36},[^,]+,paid,10,"\{""note"":""said \\""hi\\"", twice""\}","a\nb",$/,
    );
    expect(lines.slice(3)).toEqual([""]);
  });

  it("answers NDJSON with exactly the items GET /data answers, in its order", async () => {
    const ds = await dataset({ policy: "analytics" });
    await insertRecords(
      db(),
      ds.id,
      ds.adminId,
      Array.from({ length: 7 }, (_, i) => ({ n: i, tag: i % 2 ? "odd" : "even" })),
    );
    const query = `dataset=${ds.name}&payload.tag=eq.odd&order=payload.n.desc&select=id,payload.n`;
    const page = (await (
      await queryData(get(`/api/v1/lake/data?${query}`, ds.adminKey))
    ).json()) as { items: Json[] };
    const response = await exportData(
      get(`/api/v1/lake/data/export?${query}&format=ndjson`, ds.adminKey),
    );
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/\.ndjson"$/);
    const items = (await response.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Json);
    expect(items).toEqual(page.items);
    expect(items.map((item) => (item.payload as Json).n)).toEqual([5, 3, 1]);
  });

  it("applies the dataset's policy: another user's owner-only records never appear", async () => {
    const ds = await dataset({ policy: "user_data" });
    const alice = await createTestProducer(db());
    const bob = await createTestProducer(db());
    await insertRecords(db(), ds.id, alice.principal.userId, [{ who: "alice" }, { who: "alice" }]);
    await insertRecords(db(), ds.id, bob.principal.userId, [{ who: "bob" }]);

    const rows = async (key: string, extra = "") => {
      const response = await exportData(
        get(`/api/v1/lake/data/export?dataset=${ds.name}&format=ndjson${extra}`, key),
      );
      expect(response.status).toBe(200);
      return (await response.text())
        .trimEnd()
        .split("\n")
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { payload: Json }).payload.who);
    };
    expect(await rows(bob.key)).toEqual(["bob"]);
    expect((await rows(alice.key)).sort()).toEqual(["alice", "alice"]);
    expect((await rows(ds.adminKey)).sort()).toEqual(["alice", "alice", "bob"]);
    // A filter cannot widen the scope: bob asking for alice's records gets none.
    expect(await rows(bob.key, "&payload.who=eq.alice")).toEqual([]);

    // Asking for another owner is refused before the first byte, in the envelope.
    const refused = await exportData(
      get(`/api/v1/lake/data/export?dataset=${ds.name}&owner=${alice.principal.userId}`, bob.key),
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("application/json");
    expect(await refused.json()).toMatchObject({ error_code: "forbidden" });
  });

  it("refuses bad requests in the envelope before the first byte", async () => {
    const ds = await dataset();
    const cases: [string, number, string, string?][] = [
      [`dataset=${ds.name}&format=xml`, 400, "bad_request", "format"],
      [`dataset=${ds.name}&limit=10`, 400, "bad_request", "limit"],
      [`dataset=${ds.name}&cursor=abc`, 400, "bad_request", "cursor"],
      [`dataset=${ds.name}&payload.n=zz.1`, 400, "bad_request", "payload.n"],
      [`dataset=${ds.name}&format=csv&format=ndjson`, 400, "bad_request", "format"],
      [`dataset=missing-${randomUUID()}`, 404, "not_found"],
    ];
    for (const [query, status, code, parameter] of cases) {
      const response = await exportData(get(`/api/v1/lake/data/export?${query}`, ds.adminKey));
      expect(response.status, query).toBe(status);
      const body = (await response.json()) as Json;
      expect(body, query).toMatchObject({ error_code: code });
      if (parameter) expect(body.details, query).toMatchObject({ parameter });
    }
    const anonymous = await exportData(get(`/api/v1/lake/data/export?dataset=${ds.name}`));
    expect(anonymous.status).toBe(401);
    const writeOnly = await createTestKey(db(), "admin", ["write"]);
    expect(
      (await exportData(get(`/api/v1/lake/data/export?dataset=${ds.name}`, writeOnly.key))).status,
    ).toBe(403);
  });

  it("streams 20,000 records page by page, answering before it has read them all", async () => {
    const ds = await dataset({ policy: "analytics" });
    const payloads = Array.from({ length: 20_000 }, (_, n) => ({ n, label: `row ${n}` }));
    await insertRecords(db(), ds.id, ds.adminId, payloads);
    const url = `/api/v1/lake/data/export?dataset=${ds.name}&order=payload.n.asc`;

    const full = await exportData(get(url, ds.adminKey));
    const { text, chunks } = await readAll(full);
    const lines = text.trimEnd().split("\r\n");
    expect(lines).toHaveLength(20_001);
    expect(lines[0]).toBe(
      "id,dataset_id,owner_id,archived,archived_at,created_at,updated_at,payload.n,payload.label,payload_other",
    );
    expect(lines.at(-1)).toMatch(/,19999,row 19999,$/);
    // One chunk per page of 1000: never the whole result at once.
    expect(chunks).toBe(20);

    // Proof that later pages are read only when the client asks for them: after the first chunk,
    // the records beyond the second page are deleted, and the export never sees them.
    const lazy = await exportData(get(`${url}&format=ndjson`, ds.adminKey));
    const reader = lazy.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value).trimEnd().split("\n")).toHaveLength(1000);
    await db().pool.query(
      `DELETE FROM records WHERE dataset_id = $1::uuid AND (payload->>'n')::int >= 2000`,
      [ds.id],
    );
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest.trimEnd().split("\n")).toHaveLength(1000);
  }, 120_000);
});
