import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { parseRecordQuery } from "../../data/records/query/parse-record-query";
import { buildRecordConditionsSql } from "../../data/records/query/record-query.queries";
import { setArchived } from "../../data/records/set-archived";
import { databaseBackends, redisBackends } from "../../testing/backends";
import { createTestUser } from "../../testing/identity-fixtures";
import { rejection } from "../../testing/rejection";
import { useTestServices } from "../../testing/test-services";
import { upsertEmbeddings } from "../embeddings/upsert-embeddings";
import { annSettingsOf, findIndexState } from "../indexes/index-state";
import { indexBuildsSettled, requestIndexTune } from "../indexes/request-index-tune";
import { clusters, seedEmbeddedRecords } from "../testing/vector-fixtures";
import { searchBodySchema, type SearchBody } from "../vectors.schemas";
import { runSearchSql } from "./run-search-sql";
import { createSearchPipeline } from "./search-pipeline";
import { searchVectors } from "./search-vectors";
import { buildSearchSql } from "./search.queries";

const ROWS = 1500;
const CLUSTERS = 20;
/** Rare records all sit in one cluster, far from the query's: an index scan of the query's lists finds none. */
const RARE_CLUSTER = 7;

describe.each(databaseBackends)("vector search on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, cache } = useTestServices(backend, redisUrl);
  const space = clusters(6, CLUSTERS);
  let carol: Principal;
  let bob: Principal;
  let admin: Principal;
  let datasetId: string;
  let rareIds: string[];

  beforeAll(async () => {
    admin = (await createTestUser(db(), "admin")).principal;
    carol = (await createTestUser(db(), "reader")).principal;
    bob = (await createTestUser(db(), "reader")).principal;
    const ds = await db().prisma.dataset.create({
      data: { name: `search-${randomUUID()}`, ownerId: admin.userId, policy: "user_data" },
    });
    datasetId = ds.id;
    const items = Array.from({ length: ROWS }, (_, i) => {
      const cluster = i % CLUSTERS;
      const rare = cluster === RARE_CLUSTER && i % 3 === 0;
      return {
        payload: { i, cluster, tag: rare ? "rare" : "common" },
        vector: space.near(cluster),
      };
    });
    const ids = await seedEmbeddedRecords(db(), { datasetId, ownerId: carol.userId, items });
    rareIds = ids.filter((_, i) => items[i]!.payload.tag === "rare");
    // 30 lists of ~50 rows: a tuned probes count well below 30, as on a large table.
    await requestIndexTune({
      db: db(),
      type: "TEXT",
      metric: "cosine",
      tuning: { minRows: 500, rowsPerList: 50 },
    });
    await indexBuildsSettled();
  }, 240_000);

  const services = (principal: Principal) => ({ db: db(), cache: cache(), principal });
  const body = (input: Record<string, unknown>): SearchBody =>
    searchBodySchema.parse({ type: "TEXT", ...input });
  const query = () => space.centres[0]!;

  it("has a tuned ivfflat index serving the type", async () => {
    const state = await findIndexState(db(), "TEXT", "cosine");
    expect(state).toMatchObject({ status: "ready", method: "ivfflat" });
    expect(state!.indexName).toMatch(/^rec_emb_text_cosine_ivfflat_/);
    expect(state!.measuredRecall).toBeGreaterThanOrEqual(0.95);
  });

  it("fills k with a selective filter on an ANN index, thanks to iterative scans", async () => {
    // `neq.common` is what the planner cannot estimate (it assumes most rows pass), so it picks
    // the ANN index; only 25 rare records exist, all in a cluster the query's probes never reach.
    const where = { "payload.tag": "neq.common" };
    const found = await searchVectors({
      ...services(carol),
      search: body({ vector: query(), k: 10, filter: { dataset: datasetId, where } }),
    });
    expect(found.index).toMatchObject({ method: "ivfflat", used: true });
    expect(found.results).toHaveLength(10);
    expect(found.results.every((hit) => hit.record.payload.tag === "rare")).toBe(true);

    // The same statement without iterative scans comes back short: the index alone misses them.
    const records = buildRecordConditionsSql(
      parseRecordQuery(new URLSearchParams({ ...where, dataset: datasetId })),
      { datasetId, ownerId: carol.userId },
    );
    const sql = buildSearchSql({
      type: "TEXT",
      metric: "cosine",
      vector: query(),
      k: 10,
      records,
      exact: false,
    });
    const ann = annSettingsOf(await findIndexState(db(), "TEXT", "cosine"));
    const plain = await runSearchSql(db(), sql, {
      ann,
      k: 10,
      timeoutMs: 30_000,
      iterative: false,
    });
    expect(plain.length).toBeLessThan(10);

    expect(rareIds).toEqual(expect.arrayContaining(found.results.map((hit) => hit.record.id)));

    // And, on a server, they are the true nearest rare records. PGlite's pgvector (0.8.7, same
    // settings) stops its relaxed-order scan short of every list more often: there 4 to 10 of the
    // 10 were the true nearest in repeated runs, so the embedded database is held to k rare
    // results above, not to the exact top k (an approximate search's promise).
    if (backend.name !== "server") return;
    const exact = await runSearchSql(
      db(),
      buildSearchSql({
        type: "TEXT",
        metric: "cosine",
        vector: query(),
        k: 10,
        records,
        exact: true,
      }),
      {
        ann: { method: "exact" },
        k: 10,
        timeoutMs: 30_000,
      },
    );
    const truth = new Set(exact.map((row) => row.id));
    const overlap = found.results.filter((hit) => truth.has(hit.record.id)).length;
    expect(overlap).toBeGreaterThanOrEqual(9);
  });

  it("holds owner_only inside the search: others see nothing of a user_data dataset", async () => {
    const mine = await searchVectors({
      ...services(carol),
      search: body({ vector: query(), k: 5 }),
    });
    expect(mine.results).toHaveLength(5);
    const across = await searchVectors({
      ...services(bob),
      search: body({ vector: query(), k: 5 }),
    });
    expect(across.results).toEqual([]);
    const scoped = await searchVectors({
      ...services(bob),
      search: body({ vector: query(), k: 5, filter: { dataset: datasetId } }),
    });
    expect(scoped.results).toEqual([]);
    const all = await searchVectors({
      ...services(admin),
      search: body({ vector: query(), k: 5 }),
    });
    expect(all.results).toHaveLength(5);
    const byRecord = await rejection(
      searchVectors({ ...services(bob), search: body({ recordId: rareIds[0], k: 5 }) }),
    );
    expect(byRecord.status).toBe(404);
  });

  it("caches dataset searches and drops them on embedding writes and archiving", async () => {
    const search = body({ vector: query(), k: 3, filter: { dataset: datasetId } });
    const first = await searchVectors({ ...services(carol), search });
    const top = first.results[0]!.record.id;

    // Behind the services' back, nothing is invalidated: the cached answer comes back.
    await db().pool.query(
      "UPDATE record_embeddings SET embedding = $1::vector WHERE record_id = $2",
      [`[${space.centres[5]!.join(",")}]`, top],
    );
    expect((await searchVectors({ ...services(carol), search })).results[0]!.record.id).toBe(top);

    // Through the service, the write makes every cached search stale.
    await upsertEmbeddings({
      ...services(carol),
      principal: admin,
      items: [{ recordId: top, type: "TEXT", model: "test", vector: space.centres[5]! }],
    });
    const second = await searchVectors({ ...services(carol), search });
    expect(second.results.map((hit) => hit.record.id)).not.toContain(top);

    // Archiving moves the dataset's version on: the new top result disappears from the answer.
    const next = second.results[0]!.record.id;
    await setArchived({
      db: db(),
      cache: cache(),
      principal: admin,
      criteria: { dataset: datasetId, ids: [next] },
      archived: true,
    });
    const third = await searchVectors({ ...services(carol), search });
    expect(third.results.map((hit) => hit.record.id)).not.toContain(next);
    const withArchived = await searchVectors({
      ...services(carol),
      search: body({
        vector: query(),
        k: 3,
        filter: { dataset: datasetId, includeArchived: true },
      }),
    });
    expect(withArchived.results.map((hit) => hit.record.id)).toContain(next);
  });

  it("bounds concurrent searches: beyond slots and queue, 503 service_unavailable", async () => {
    const pipeline = createSearchPipeline({ maxConcurrent: 1, queue: 1 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        searchVectors({ ...services(carol), pipeline, search: body({ vector: query(), k: 2 }) }),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(2);
    for (const outcome of outcomes.filter((o) => o.status === "rejected")) {
      expect(outcome.reason).toMatchObject({ code: "service_unavailable", status: 503 });
    }
  });

  it("refuses text search when no provider is configured (400)", async () => {
    const error = await rejection(
      searchVectors({ ...services(carol), provider: null, search: body({ text: "hello" }) }),
    );
    expect(error).toMatchObject({ status: 400, details: { reason: "no_embedding_provider" } });
  });
});
