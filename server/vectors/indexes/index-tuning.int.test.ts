import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { type VectorMetric } from "../../db/generated/enums";
import { databaseBackends, redisBackends } from "../../testing/backends";
import { createTestUser } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { searchVectors } from "../search/search-vectors";
import { clusters, seedEmbeddedRecords } from "../testing/vector-fixtures";
import { searchBodySchema } from "../vectors.schemas";
import { checkIndexGrowth } from "./growth-check";
import { nearestIds } from "./index.queries";
import { findIndexState, paramsOf } from "./index-state";
import { listIndexStatus } from "./index-status";
import { indexBuildsSettled, progressChannel, requestIndexTune } from "./request-index-tune";

const TUNING = { minRows: 500, rowsPerList: 30, sampleQueries: 30 };

describe.each(databaseBackends)("vector index tuning on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, cache } = useTestServices(backend, redisUrl);
  // Fewer clusters than lists: each cluster spreads over several lists, so probes must be tuned.
  const space = clusters(11, 10, 1.5);
  let owner: Principal;
  let datasetId: string;

  const seed = (count: number, offset = 0) =>
    seedEmbeddedRecords(db(), {
      datasetId,
      ownerId: owner.userId,
      items: Array.from({ length: count }, (_, i) => ({
        payload: { i: offset + i },
        vector: space.near(offset + i),
      })),
    });

  beforeAll(async () => {
    owner = (await createTestUser(db(), "admin")).principal;
    datasetId = (
      await db().prisma.dataset.create({
        data: { name: `tune-${randomUUID()}`, ownerId: owner.userId, policy: "analytics" },
      })
    ).id;
    await seed(1200);
  }, 120_000);

  /** recall@10 of the public search (as tuned) against exact search, on fresh queries. */
  async function searchRecall(metric: VectorMetric, queries: number[][]) {
    let found = 0;
    for (const vector of queries) {
      const truth = await nearestIds(db(), {
        type: "TEXT",
        metric,
        vector,
        k: 10,
        ann: { method: "exact" },
      });
      const result = await searchVectors({
        db: db(),
        cache: cache(),
        principal: owner,
        forceIndex: true,
        search: searchBodySchema.parse({ vector, type: "TEXT", metric, k: 10 }),
      });
      expect(result.index.used).toBe(true);
      const ids = new Set(result.results.map((hit) => hit.record.id));
      found += truth.filter((id) => ids.has(id)).length;
    }
    return found / (queries.length * 10);
  }

  it("builds ivfflat with lists from the row count and tunes probes to the recall target, with live progress", async () => {
    const messages: { status: string; progress?: { phase: string } }[] = [];
    const unsubscribe = await cache().pubsub.subscribe(progressChannel("TEXT", "cosine"), (m) =>
      messages.push(m as (typeof messages)[number]),
    );
    await requestIndexTune({ db: db(), type: "TEXT", metric: "cosine", tuning: TUNING });
    await indexBuildsSettled();
    await new Promise((resolve) => setTimeout(resolve, 100)); // pub/sub delivers asynchronously
    await unsubscribe();

    const state = (await findIndexState(db(), "TEXT", "cosine"))!;
    expect(state).toMatchObject({ status: "ready", method: "ivfflat", error: null });
    const params = paramsOf(state);
    expect(params.lists).toBe(40); // 1200 rows / 30
    expect(params.probes).toBeGreaterThan(1); // overlapping clusters: one list is not enough
    expect(params.probes).toBeLessThan(40);
    expect(state.measuredRecall).toBeGreaterThanOrEqual(0.95);
    expect(Number(state.rowsAtBuild)).toBe(1200);
    expect(Number(state.sizeBytes)).toBeGreaterThan(0);
    expect(state.builtAt).not.toBeNull();

    const phases = messages.map((m) => m.progress?.phase);
    expect(phases).toEqual(expect.arrayContaining(["counting", "building", "measuring recall"]));
    expect(messages.at(-1)?.status).toBe("ready");

    // Queries that are not in the table land near the recall measured on the tuner's sample (an
    // estimate from 30 queries, and each ivfflat build clusters a random sample of rows): near,
    // not at or above it, on every build.
    const fresh = Array.from({ length: 15 }, (_, i) => space.near(i * 7 + 3));
    expect(await searchRecall("cosine", fresh)).toBeGreaterThanOrEqual(0.85);

    const { items } = await listIndexStatus({ db: db(), principal: owner });
    expect(items).toEqual([
      expect.objectContaining({ type: "TEXT", metric: "cosine", exact: false, rows: 1200 }),
    ]);
  }, 240_000);

  it("builds HNSW for another metric and tunes ef_search", async () => {
    await requestIndexTune({
      db: db(),
      type: "TEXT",
      metric: "l2",
      method: "hnsw",
      tuning: TUNING,
    });
    await indexBuildsSettled();
    const state = (await findIndexState(db(), "TEXT", "l2"))!;
    expect(state).toMatchObject({ status: "ready", method: "hnsw", error: null });
    expect(state.indexName).toMatch(/^rec_emb_text_l2_hnsw_/);
    const params = paramsOf(state);
    expect(params).toMatchObject({ m: 16, ef_construction: 64 });
    expect(params.ef_search).toBeGreaterThanOrEqual(10);
    expect(state.measuredRecall).toBeGreaterThanOrEqual(0.95);
    const fresh = Array.from({ length: 10 }, (_, i) => space.near(i * 5 + 1));
    expect(await searchRecall("l2", fresh)).toBeGreaterThanOrEqual(0.85);
  }, 240_000);

  it("a build another process holds (fresh lease) is left alone", async () => {
    const before = (await findIndexState(db(), "TEXT", "cosine"))!;
    await db().prisma.vectorIndex.update({
      where: { id: before.id },
      data: { status: "building" },
    });
    await requestIndexTune({ db: db(), type: "TEXT", metric: "cosine", tuning: TUNING });
    await indexBuildsSettled();
    const after = (await findIndexState(db(), "TEXT", "cosine"))!;
    expect(after.indexName).toBe(before.indexName);
    await db().prisma.vectorIndex.update({ where: { id: before.id }, data: { status: "ready" } });
  });

  it("rebuilds under a new name when rows grew by more than half, dropping the old index", async () => {
    const before = (await findIndexState(db(), "TEXT", "cosine"))!;
    await seed(300, 1200);
    expect(await checkIndexGrowth(db(), "TEXT", TUNING)).toEqual([]); // 1500 ≤ 1.5 × 1200
    await seed(400, 1500);
    expect((await checkIndexGrowth(db(), "TEXT", TUNING)).sort()).toEqual(["cosine", "l2"]);
    await indexBuildsSettled();
    const after = (await findIndexState(db(), "TEXT", "cosine"))!;
    expect(after.indexName).not.toBe(before.indexName);
    expect(Number(after.rowsAtBuild)).toBe(1900);
    expect(paramsOf(after).lists).toBe(63); // 1900 / 30
    expect(after.measuredRecall).toBeGreaterThanOrEqual(0.95);
    const { rows } = await db().pool.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'record_embeddings' AND indexname LIKE 'rec_emb_%'",
    );
    const l2 = (await findIndexState(db(), "TEXT", "l2"))!;
    expect(rows.map((row) => row.indexname).sort()).toEqual([after.indexName, l2.indexName].sort());
  }, 300_000);

  it("keeps small types exact: no ANN index below the row threshold", async () => {
    const ids = await seed(3, 5000);
    await db().prisma.$executeRaw`
      INSERT INTO record_embeddings (record_id, type, model, embedding, updated_at)
      SELECT record_id, 'IMAGE', model, embedding, now() FROM record_embeddings
      WHERE record_id = ANY(${ids}::uuid[]) AND type = 'TEXT'`;
    await requestIndexTune({ db: db(), type: "IMAGE", metric: "cosine", tuning: TUNING });
    await indexBuildsSettled();
    const { items } = await listIndexStatus({ db: db(), principal: owner });
    expect(items.find((item) => item.type === "IMAGE")).toMatchObject({
      status: "ready",
      exact: true,
      index_name: null,
      rows: 3,
      rows_at_build: 3,
    });
    const result = await searchVectors({
      db: db(),
      cache: cache(),
      principal: owner,
      search: searchBodySchema.parse({ vector: space.near(0), type: "IMAGE", k: 10 }),
    });
    expect(result.results).toHaveLength(3);
    expect(result.index).toEqual({ method: "exact", used: false });
  });
});
