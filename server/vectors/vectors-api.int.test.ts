import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import {
  DELETE as deleteEmbedding,
  GET as getEmbedding,
  PUT as putEmbedding,
} from "../doors/rest/routes/record-embedding";
import { GET as listEmbeddings } from "../doors/rest/routes/record-embeddings";
import { POST as createRecords } from "../doors/rest/routes/data";
import { POST as bulkWrite } from "../doors/rest/routes/vector-embeddings";
import { GET as listIndexes } from "../doors/rest/routes/vector-indexes";
import { POST as tune } from "../doors/rest/routes/vector-index-tune";
import { POST as search } from "../doors/rest/routes/vector-search";

import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { indexBuildsSettled } from "./indexes/request-index-tune";
import { axis } from "./testing/vector-fixtures";
import { VECTOR_DIMENSIONS } from "./vectors.schemas";

type Json = Record<string, unknown>;

function request(method: string, path: string, key: string, body?: unknown) {
  return new Request(`http://lake.test${path}`, {
    method,
    headers: {
      "x-api-key": key,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}
const json = async (response: Response) => (await response.json()) as Json;
const embeddingParams = (id: string, type: string) => ({ params: Promise.resolve({ id, type }) });

describe.each(databaseBackends)("vectors API on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db } = useTestServices(backend, redisUrl);

  async function setup(policy: "user_data" | "analytics" = "user_data") {
    const alice = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    const bob = await createTestKey(db(), "reader", ["read"]);
    const ds = await db().prisma.dataset.create({
      data: { name: `vec-${randomUUID()}`, ownerId: alice.principal.userId, policy },
    });
    const record = async (key: string, payload: Json) =>
      String(
        (
          await json(
            await createRecords(
              request("POST", "/api/v1/lake/data", key, { dataset: ds.id, payload }),
            ),
          )
        ).id,
      );
    return { alice, bob, ds, record };
  }

  it("writes, reads, lists and deletes one embedding, with an audit entry per write", async () => {
    const { alice, record } = await setup();
    const id = await record(alice.key, { title: "first" });
    const vector = axis(3, 0.5);
    const put = await putEmbedding(
      request("PUT", `/x`, alice.key, { model: "test/axis", vector }),
      embeddingParams(id, "TEXT"),
    );
    expect(put.status).toBe(200);
    expect(await json(put)).toMatchObject({
      record_id: id,
      type: "TEXT",
      model: "test/axis",
      dimensions: VECTOR_DIMENSIONS,
      vector,
    });
    const read = await json(
      await getEmbedding(request("GET", "/x", alice.key), embeddingParams(id, "TEXT")),
    );
    expect(read.vector).toEqual(vector);
    const list = await json(
      await listEmbeddings(request("GET", "/x", alice.key), { params: Promise.resolve({ id }) }),
    );
    expect((list.items as Json[]).map((item) => item.type)).toEqual(["TEXT"]);

    const byText = await putEmbedding(
      request("PUT", "/x", alice.key, { text: "Quarterly invoices" }),
      embeddingParams(id, "CUSTOM"),
    );
    expect(await json(byText)).toMatchObject({ model: "lake/hashing-v1", type: "CUSTOM" });

    const removed = await deleteEmbedding(
      request("DELETE", "/x", alice.key),
      embeddingParams(id, "TEXT"),
    );
    expect(removed.status).toBe(204);
    const gone = await getEmbedding(request("GET", "/x", alice.key), embeddingParams(id, "TEXT"));
    expect(gone.status).toBe(404);
    const actions = await db().prisma.auditLog.findMany({
      where: { resourceId: id, action: { startsWith: "embedding." } },
      orderBy: [{ at: "asc" }, { id: "asc" }],
    });
    expect(actions.map((a) => a.action)).toEqual([
      "embedding.write",
      "embedding.write",
      "embedding.delete",
    ]);
  });

  it("rejects bad vectors, types and bodies with 400 in the envelope", async () => {
    const { alice, record } = await setup();
    const id = await record(alice.key, {});
    const put = (type: string, body: unknown) =>
      putEmbedding(request("PUT", "/x", alice.key, body), embeddingParams(id, type));
    const nines = `{"model":"m","vector":[1e309${",0".repeat(VECTOR_DIMENSIONS - 1)}]}`;
    const cases: [string, unknown][] = [
      ["TEXT", { model: "m", vector: [1, 2, 3] }],
      ["TEXT", { model: "m", vector: [...axis(0).slice(1), "NaN"] }],
      ["TEXT", { model: "m", vector: [...axis(0).slice(1), 1e39] }],
      ["TEXT", nines],
      ["TEXT", { model: "m", vector: axis(0), extra: true }],
      ["SMELL", { model: "m", vector: axis(0) }],
      ["TEXT", { text: "" }],
    ];
    for (const [type, body] of cases) {
      const response = await put(type, body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(await json(response)).toMatchObject({ error_code: "validation_failed" });
    }
    expect(
      await db().prisma.auditLog.count({ where: { resourceId: id, action: "embedding.write" } }),
    ).toBe(0);
  });

  it("hides another owner's user_data record (404) for write, read and search", async () => {
    const { alice, bob, record } = await setup("user_data");
    const id = await record(alice.key, {});
    await putEmbedding(
      request("PUT", "/x", alice.key, { model: "m", vector: axis(1) }),
      embeddingParams(id, "TEXT"),
    );
    // A reader key may not write at all (403); a non-owner's read is a 404 like a missing record.
    const readerWrite = await putEmbedding(
      request("PUT", "/x", bob.key, { model: "m", vector: axis(1) }),
      embeddingParams(id, "TEXT"),
    );
    expect(readerWrite.status).toBe(403);
    expect(
      (await getEmbedding(request("GET", "/x", bob.key), embeddingParams(id, "TEXT"))).status,
    ).toBe(404);
    const bySearch = await search(
      request("POST", "/api/v1/lake/vectors/search", bob.key, { recordId: id, type: "TEXT" }),
    );
    expect(bySearch.status).toBe(404);
    expect(await json(bySearch)).toMatchObject({ error_code: "not_found" });
    const results = await json(
      await search(
        request("POST", "/api/v1/lake/vectors/search", bob.key, { vector: axis(1), type: "TEXT" }),
      ),
    );
    expect(results.results).toEqual([]);
  });

  it("bulk-writes all or nothing, and caps the batch", async () => {
    const { alice, record } = await setup();
    const ids = [await record(alice.key, { n: 1 }), await record(alice.key, { n: 2 })];
    const items = ids.map((recordId, index) => ({
      recordId,
      type: "IMAGE",
      model: "test/axis",
      vector: axis(index),
    }));
    const ok = await bulkWrite(
      request("POST", "/api/v1/lake/vectors/embeddings", alice.key, { embeddings: items }),
    );
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ count: 2 });

    const missing = await bulkWrite(
      request("POST", "/api/v1/lake/vectors/embeddings", alice.key, {
        embeddings: [
          { ...items[0], vector: axis(9) },
          { ...items[1], recordId: randomUUID() },
        ],
      }),
    );
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ details: { index: 1 } });
    const [first] = await db().prisma.$queryRaw<{ v: string }[]>`
      SELECT embedding::text AS v FROM record_embeddings WHERE record_id = ${ids[0]}::uuid`;
    expect(first!.v.startsWith("[1,")).toBe(true); // unchanged: axis(0), not axis(9)

    const duplicate = await bulkWrite(
      request("POST", "/api/v1/lake/vectors/embeddings", alice.key, {
        embeddings: [items[0], items[0]],
      }),
    );
    expect(duplicate.status).toBe(400);
    const tooMany = await bulkWrite(
      request("POST", "/api/v1/lake/vectors/embeddings", alice.key, {
        embeddings: Array.from({ length: 251 }, () => ({ ...items[0], vector: [0] })),
      }),
    );
    expect(tooMany.status).toBe(400);
  });

  it("searches by vector, text and record, with scores per metric", async () => {
    const { alice, ds, record } = await setup("analytics");
    const near = await record(alice.key, { name: "near" });
    const far = await record(alice.key, { name: "far" });
    for (const [id, vector] of [
      [near, axis(0)],
      [far, axis(1)],
    ] as const) {
      await putEmbedding(
        request("PUT", "/x", alice.key, { model: "m", vector }),
        embeddingParams(id, "AUDIO"),
      );
    }
    const query = [...axis(0)];
    query[1] = 0.2;
    const run = async (body: Json) =>
      json(await search(request("POST", "/api/v1/lake/vectors/search", alice.key, body)));

    const cosine = await run({ vector: query, type: "AUDIO", filter: { dataset: ds.name } });
    const hits = cosine.results as { score: number; distance: number; record: Json }[];
    expect(hits.map((hit) => hit.record.id)).toEqual([near, far]);
    expect(hits[0]!.score).toBeCloseTo(1 - hits[0]!.distance, 6);
    expect(hits[0]!.score).toBeCloseTo(1 / Math.hypot(1, 0.2), 5);
    expect(cosine.index).toEqual({ method: "exact", used: false });

    const l2 = await run({
      vector: query,
      type: "AUDIO",
      metric: "l2",
      filter: { dataset: ds.id },
    });
    const l2Hit = (l2.results as { score: number; distance: number }[])[0]!;
    expect(l2Hit.distance).toBeCloseTo(0.2, 5);
    expect(l2Hit.score).toBeCloseTo(1 / 1.2, 5);
    const ip = await run({ vector: query, type: "AUDIO", metric: "inner_product" });
    expect((ip.results as { score: number }[]).map((hit) => hit.score)).toEqual([
      expect.closeTo(1, 5),
      expect.closeTo(0.2, 5),
    ]);

    const minScore = await run({ vector: query, type: "AUDIO", minScore: 0.5 });
    expect((minScore.results as { record: Json }[]).map((hit) => hit.record.id)).toEqual([near]);
    const byRecord = await run({ recordId: near, type: "AUDIO" });
    expect((byRecord.results as { record: Json }[]).map((hit) => hit.record.id)).toEqual([far]);
    const empty = await run({ vector: query, type: "IMAGE", filter: { dataset: ds.id } });
    expect(empty.results).toEqual([]);
  });

  it("answers bad searches with the right status", async () => {
    const { alice, record } = await setup();
    const id = await record(alice.key, {});
    const status = async (body: unknown) => {
      const response = await search(
        request("POST", "/api/v1/lake/vectors/search", alice.key, body),
      );
      const envelope = await json(response);
      expect(envelope).toHaveProperty("error_code");
      return response.status;
    };
    expect(await status({ vector: [1, 2], type: "TEXT" })).toBe(400);
    expect(await status({ vector: axis(0), type: "SMELL" })).toBe(400);
    expect(await status({ vector: axis(0), type: "TEXT", metric: "manhattan" })).toBe(400);
    expect(await status({ vector: axis(0), type: "TEXT", k: 0 })).toBe(400);
    expect(await status({ vector: axis(0), type: "TEXT", k: 101 })).toBe(400);
    expect(await status({ vector: axis(0), text: "both", type: "TEXT" })).toBe(400);
    expect(await status({ type: "TEXT" })).toBe(400);
    expect(await status({ vector: axis(0).map(() => 0), type: "TEXT" })).toBe(400);
    expect(
      await status({ vector: axis(0), type: "TEXT", filter: { where: { "payload.a": "zz.1" } } }),
    ).toBe(400);
    expect(await status({ recordId: id, type: "TEXT" })).toBe(404); // no TEXT embedding
    expect(await status({ recordId: randomUUID(), type: "TEXT" })).toBe(404);
    expect(await status({ vector: axis(0), type: "TEXT", filter: { dataset: "nope" } })).toBe(404);
  });

  it("lists index status; only administrators may start a tune (202)", async () => {
    const { alice, bob } = await setup();
    const refused = await tune(
      request("POST", "/api/v1/lake/vectors/indexes/tune", bob.key, { type: "TEXT" }),
    );
    expect(refused.status).toBe(403);
    const started = await tune(
      request("POST", "/api/v1/lake/vectors/indexes/tune", alice.key, { type: "CUSTOM" }),
    );
    expect(started.status).toBe(202);
    expect(await json(started)).toMatchObject({
      type: "CUSTOM",
      metric: "cosine",
      method: "ivfflat",
    });
    await indexBuildsSettled();
    const list = await json(
      await listIndexes(request("GET", "/api/v1/lake/vectors/indexes", bob.key)),
    );
    expect(list.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "CUSTOM", status: "ready", exact: true, index_name: null }),
      ]),
    );
  });
});
