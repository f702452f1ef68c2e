import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { POST as batch } from "../../doors/rest/routes/batch";
import { DELETE as del, GET as getOne, PUT as put } from "../../doors/rest/routes/data-record";
import { POST as archive } from "../../doors/rest/routes/data-archive";
import { POST as restore } from "../../doors/rest/routes/data-restore";
import { GET as queryData, POST as create } from "../../doors/rest/routes/data";
import { DELETE as deleteDataset, PATCH as patchDataset } from "../../doors/rest/routes/dataset";

import { type Permission } from "../../auth/principal";
import { databaseBackends, redisBackends } from "../../testing/backends";
import { createApiKey } from "../../auth/api-keys/create-api-key";
import { loadPrincipal } from "../../auth/load-principal";
import { createTestKey, createTestUser } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";

type Json = Record<string, unknown>;

function request(
  method: string,
  path: string,
  key: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return new Request(`http://lake.test${path}`, {
    method,
    headers: {
      "x-api-key": key,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const json = async (response: Response) => (await response.json()) as Json;

describe.each(databaseBackends)("records API on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  async function dataset(options: { policy?: "user_data" | "analytics"; jsonSchema?: Json } = {}) {
    const owner = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    const row = await db().prisma.dataset.create({
      data: {
        name: `ds-${randomUUID()}`,
        ownerId: owner.principal.userId,
        policy: options.policy ?? "user_data",
        jsonSchema: options.jsonSchema as never,
      },
    });
    return row;
  }
  const key = async (scopes: Permission[], role: "admin" | "reader" = "admin") =>
    (await createTestKey(db(), role, scopes)).key;

  it("refuses what PostgreSQL cannot store with a 400 naming the field, and writes nothing", async () => {
    const ds = await dataset();
    const writer = await key(["read", "write"]);
    const bodies: [string, string, string][] = [
      [`{"dataset": "${ds.name}", "payload": {"n": 1e400}}`, "payload.n", "number_out_of_range"],
      [`{"dataset": "${ds.name}", "payload": {"t": "a\\u0000b"}}`, "payload.t", "invalid_string"],
      [`{"dataset": "${ds.name}", "payload": {"\\ud800": 1}}`, "payload.\ud800", "invalid_key"],
      [`{"dataset": "${ds.name}\\u0000", "payload": {}}`, "dataset", "invalid_string"],
    ];
    for (const [body, path, code] of bodies) {
      const response = await create(request("POST", "/api/v1/lake/data", writer, body));
      expect(response.status, body).toBe(400);
      expect(await json(response), body).toMatchObject({
        error_code: "validation_failed",
        details: [{ path, code }],
      });
    }
    const deep = `{"dataset": "${ds.name}", "payload": {"a": ${"[".repeat(5_000)}${"]".repeat(5_000)}}}`;
    const refused = await create(request("POST", "/api/v1/lake/data", writer, deep));
    expect(refused.status).toBe(400);
    expect(await json(refused)).toMatchObject({ error_code: "invalid_json" });
    expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(0);

    const nulInPath = await getOne(
      request("GET", "/api/v1/lake/data/x", writer),
      params("a\u0000"),
    );
    expect(nulInPath.status).toBe(400);
  });

  it("creates one record (201) and reads it back with an ETag", async () => {
    const ds = await dataset();
    const writer = await key(["read", "write"]);
    const created = await create(
      request("POST", "/api/v1/lake/data", writer, { dataset: ds.name, payload: { a: 1 } }),
    );
    expect(created.status).toBe(201);
    const record = await json(created);
    expect(record).toMatchObject({ dataset_id: ds.id, payload: { a: 1 }, archived: false });

    const read = await getOne(
      request("GET", `/api/v1/lake/data/${String(record.id)}`, writer),
      params(String(record.id)),
    );
    expect(read.status).toBe(200);
    const etag = read.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const notModified = await getOne(
      request("GET", `/api/v1/lake/data/${String(record.id)}`, writer, undefined, {
        "if-none-match": etag,
      }),
      params(String(record.id)),
    );
    expect(notModified.status).toBe(304);
  });

  it("creates many at once, all or nothing, with every failing path listed", async () => {
    const ds = await dataset({
      jsonSchema: {
        type: "object",
        properties: { n: { type: "number" } },
        required: ["n"],
        additionalProperties: false,
      },
    });
    const writer = await key(["read", "write"]);
    const ok = await create(
      request("POST", "/api/v1/lake/data", writer, {
        dataset: ds.id,
        records: [{ n: 1 }, { n: 2 }],
      }),
    );
    expect(ok.status).toBe(201);
    expect(await json(ok)).toMatchObject({ count: 2 });

    const bad = await create(
      request("POST", "/api/v1/lake/data", writer, {
        dataset: ds.id,
        records: [{ n: 3 }, { n: "x" }, { m: 1 }],
      }),
    );
    expect(bad.status).toBe(400);
    const body = await json(bad);
    expect(body.error_code).toBe("validation_failed");
    expect(JSON.stringify(body.details)).toMatch(/"index":1.*\/n.*"index":2/);
    expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(2);
  });

  it("rejects malformed JSON, wrong types and unknown fields with 400, nothing written", async () => {
    const ds = await dataset();
    const writer = await key(["write"]);
    for (const body of [
      '{"dataset":',
      { dataset: ds.id, payload: "not an object" },
      { dataset: ds.id, payload: {}, extra: 1 },
    ]) {
      const response = await create(request("POST", "/api/v1/lake/data", writer, body));
      expect(response.status).toBe(400);
    }
    const wrongType = await create(
      new Request("http://lake.test/api/v1/lake/data", {
        method: "POST",
        headers: { "x-api-key": writer, "content-type": "text/csv" },
        body: "a,b",
      }),
    );
    expect(wrongType.status).toBe(415);
    expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(0);
  });

  it("hides another owner's user_data record (404) and shares analytics records", async () => {
    const privateDs = await dataset({ policy: "user_data" });
    const sharedDs = await dataset({ policy: "analytics" });
    const alice = await key(["read", "write"], "admin");
    const bob = (await createTestKey(db(), "reader", ["read"])).key;
    for (const [ds, expected] of [
      [privateDs, 404],
      [sharedDs, 200],
    ] as const) {
      const record = await json(
        await create(
          request("POST", "/api/v1/lake/data", alice, { dataset: ds.id, payload: { s: 1 } }),
        ),
      );
      const path = `/api/v1/lake/data/${String(record.id)}`;
      // Alice's read fills the cache; Bob must still get the policy's answer, not the cached record.
      await getOne(request("GET", path, alice), params(String(record.id)));
      const response = await getOne(request("GET", path, bob), params(String(record.id)));
      expect(response.status).toBe(expected);
    }
  });

  it("a policy change on the dataset takes effect on cached records at once", async () => {
    const ds = await dataset({ policy: "analytics" });
    const alice = await key(["read", "write"], "admin");
    const bob = (await createTestKey(db(), "reader", ["read"])).key;
    const record = await json(
      await create(request("POST", "/api/v1/lake/data", alice, { dataset: ds.id, payload: {} })),
    );
    const id = String(record.id);
    expect((await getOne(request("GET", `/api/v1/lake/data/${id}`, bob), params(id))).status).toBe(
      200,
    );
    const patched = await patchDataset(
      request("PATCH", `/api/v1/lake/datasets/${ds.id}`, alice, { policy: "user_data" }),
      params(ds.id),
    );
    expect(patched.status).toBe(200);
    expect((await getOne(request("GET", `/api/v1/lake/data/${id}`, bob), params(id))).status).toBe(
      404,
    );
  });

  it("archives by criteria, hides archived records by default, lists and restores them", async () => {
    const ds = await dataset();
    const writer = await key(["read", "write"]);
    await create(
      request("POST", "/api/v1/lake/data", writer, {
        dataset: ds.id,
        records: [{ status: "closed" }, { status: "closed" }, { status: "open" }],
      }),
    );
    const list = async (query: string) =>
      (await json(
        await queryData(request("GET", `/api/v1/lake/data?dataset=${ds.name}${query}`, writer)),
      )) as {
        items: { payload: Json }[];
      };
    const archived = await archive(
      request("POST", "/api/v1/lake/data/archive", writer, {
        dataset: ds.name,
        filter: { "payload.status": "eq.closed" },
      }),
    );
    expect(archived.status).toBe(200);
    expect(await json(archived)).toMatchObject({ count: 2 });
    expect((await list("")).items.map((r) => r.payload.status)).toEqual(["open"]);
    expect((await list("&archived=true")).items).toHaveLength(2);
    expect((await list("&archived=all")).items).toHaveLength(3);

    const bad = await archive(
      request("POST", "/api/v1/lake/data/archive", writer, {
        dataset: ds.name,
        filter: { "payload.status": "zz.x" },
      }),
    );
    expect(bad.status).toBe(400);

    const restored = await restore(
      request("POST", "/api/v1/lake/data/restore", writer, { dataset: ds.name }),
    );
    expect(await json(restored)).toMatchObject({ count: 2 });
    expect((await list("")).items).toHaveLength(3);
    const audit = await db().prisma.auditLog.findMany({
      where: { resourceId: ds.id, action: { startsWith: "record." } },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(["record.archive", "record.restore"]);
  });

  it("only an admin may loosen the policy or force-delete a dataset holding others' records", async () => {
    // A non-admin owner who may write and delete: a custom role.
    const editor = await db().prisma.role.create({
      data: { name: `editor-${randomUUID()}`, permissions: ["read", "write", "delete"] },
    });
    const { principal: ownerPrincipal } = await createTestUser(db(), "reader");
    await db().prisma.userRole.create({
      data: { userId: ownerPrincipal.userId, roleId: editor.id },
    });
    const owner = {
      principal: ownerPrincipal,
      key: (
        await createApiKey({
          db: db(),
          principal: await loadPrincipal({
            db: db(),
            userId: ownerPrincipal.userId,
            via: "session",
          }),
          name: "owner",
          scopes: ["read", "write", "delete"],
        })
      ).key,
    };
    {
      const ds = await db().prisma.dataset.create({
        data: { name: `ds-${randomUUID()}`, ownerId: owner.principal.userId, policy: "user_data" },
      });
      const other = await key(["read", "write"], "admin");
      await create(
        request("POST", "/api/v1/lake/data", other, { dataset: ds.id, payload: { secret: 1 } }),
      );
      const loosen = await patchDataset(
        request("PATCH", `/api/v1/lake/datasets/${ds.id}`, owner.key, { policy: "analytics" }),
        params(ds.id),
      );
      expect(loosen.status).toBe(403);
      const drop = await deleteDataset(
        request("DELETE", `/api/v1/lake/datasets/${ds.id}?force=true`, owner.key),
        params(ds.id),
      );
      expect(drop.status).toBe(403);
      expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(1);
      expect((await db().prisma.dataset.findUniqueOrThrow({ where: { id: ds.id } })).policy).toBe(
        "user_data",
      );
    }
  });

  it("If-Match: replaces only the version that was read (412 otherwise)", async () => {
    const ds = await dataset();
    const writer = await key(["read", "write", "delete"]);
    const record = await json(
      await create(
        request("POST", "/api/v1/lake/data", writer, { dataset: ds.id, payload: { v: 1 } }),
      ),
    );
    const id = String(record.id);
    const etag = (
      await getOne(request("GET", `/api/v1/lake/data/${id}`, writer), params(id))
    ).headers.get("etag")!;

    const first = await put(
      request(
        "PUT",
        `/api/v1/lake/data/${id}`,
        writer,
        { payload: { v: 2 } },
        { "if-match": etag },
      ),
      params(id),
    );
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).not.toBe(etag);
    const stale = await put(
      request(
        "PUT",
        `/api/v1/lake/data/${id}`,
        writer,
        { payload: { v: 3 } },
        { "if-match": etag },
      ),
      params(id),
    );
    expect(stale.status).toBe(412);
    const staleDelete = await del(
      request("DELETE", `/api/v1/lake/data/${id}`, writer, undefined, { "if-match": etag }),
      params(id),
    );
    expect(staleDelete.status).toBe(412);

    // The cache was invalidated by the write: the next read sees v2.
    expect(
      await json(await getOne(request("GET", `/api/v1/lake/data/${id}`, writer), params(id))),
    ).toMatchObject({ payload: { v: 2 } });
  });

  it("DELETE needs the delete permission (403), then removes the record (204, then 404)", async () => {
    const ds = await dataset({ policy: "analytics" });
    const writer = await key(["read", "write"]);
    const deleter = await key(["read", "delete"]);
    const record = await json(
      await create(request("POST", "/api/v1/lake/data", writer, { dataset: ds.id, payload: {} })),
    );
    const id = String(record.id);
    expect(
      (await del(request("DELETE", `/api/v1/lake/data/${id}`, writer), params(id))).status,
    ).toBe(403);
    expect(
      (await del(request("DELETE", `/api/v1/lake/data/${id}`, deleter), params(id))).status,
    ).toBe(204);
    expect(
      (await getOne(request("GET", `/api/v1/lake/data/${id}`, deleter), params(id))).status,
    ).toBe(404);
  });

  it("Idempotency-Key: a retried POST returns the first result and writes once", async () => {
    const ds = await dataset();
    const writer = await key(["write"]);
    const body = { dataset: ds.id, payload: { once: true } };
    const headers = { "idempotency-key": `retry-${randomUUID()}` };
    const first = await create(request("POST", "/api/v1/lake/data", writer, body, headers));
    const second = await create(request("POST", "/api/v1/lake/data", writer, body, headers));
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await json(second)).toEqual(await json(first));
    expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(1);

    const reused = await create(
      request("POST", "/api/v1/lake/data", writer, { ...body, payload: { other: 1 } }, headers),
    );
    expect(reused.status).toBe(409);
  });

  it("Idempotency-Key: concurrent retries write once; a failed request frees the key", async () => {
    const ds = await dataset({ jsonSchema: { type: "object", required: ["ok"] } });
    const writer = await key(["write"]);
    const headers = { "idempotency-key": `race-${randomUUID()}` };
    const body = { dataset: ds.id, payload: { ok: true } };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        create(request("POST", "/api/v1/lake/data", writer, body, headers)),
      ),
    );
    const statuses = await Promise.all(
      responses.map(async (r) => `${r.status}:${JSON.stringify(await r.clone().json())}`),
    );
    expect(
      statuses.every((s) => s.startsWith("201") || s.startsWith("409")),
      statuses.join("\n"),
    ).toBe(true);
    expect(
      responses.filter((r) => r.status === 201 && !r.headers.get("idempotent-replayed")),
    ).toHaveLength(1);
    expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(1);

    const retryKey = { "idempotency-key": `fix-${randomUUID()}` };
    const invalid = await create(
      request("POST", "/api/v1/lake/data", writer, { dataset: ds.id, payload: {} }, retryKey),
    );
    expect(invalid.status).toBe(400);
    const fixed = await create(
      request(
        "POST",
        "/api/v1/lake/data",
        writer,
        { dataset: ds.id, payload: { ok: 1 } },
        retryKey,
      ),
    );
    expect(fixed.status).toBe(201);
    expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(2);
  });

  it("batch: atomic by default — one bad operation changes nothing", async () => {
    const ds = await dataset();
    const writer = await key(["read", "write", "delete"]);
    const record = await json(
      await create(
        request("POST", "/api/v1/lake/data", writer, { dataset: ds.id, payload: { v: 1 } }),
      ),
    );
    const operations = [
      { op: "create", dataset: ds.id, payload: { v: 2 } },
      { op: "update", id: record.id, payload: { v: 10 } },
      { op: "delete", id: randomUUID() },
    ];
    const failed = await batch(request("POST", "/api/v1/lake/batch", writer, { operations }));
    expect(failed.status).toBe(404);
    expect(await json(failed)).toMatchObject({ details: { index: 2 } });
    expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(1);
    expect(
      (await db().prisma.record.findUniqueOrThrow({ where: { id: String(record.id) } })).payload,
    ).toEqual({ v: 1 });

    const ok = await batch(
      request("POST", "/api/v1/lake/batch", writer, { operations: operations.slice(0, 2) }),
    );
    expect(ok.status).toBe(200);
    expect(await db().prisma.record.count({ where: { datasetId: ds.id } })).toBe(2);

    const partial = await json(
      await batch(request("POST", "/api/v1/lake/batch", writer, { operations, atomic: false })),
    );
    expect((partial.results as { status: number }[]).map((r) => r.status)).toEqual([201, 200, 404]);
  });

  it("answers 413 for a body over 10 MB, with a hint to use /import", async () => {
    const writer = await key(["write"]);
    const big = JSON.stringify({ dataset: "x", payload: { blob: "x".repeat(11 * 1024 * 1024) } });
    const response = await create(request("POST", "/api/v1/lake/data", writer, big));
    expect(response.status).toBe(413);
    expect((await json(response)).message).toMatch(/import/);
  });
});
