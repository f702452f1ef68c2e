import { createHash, randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { createCacheServices } from "../../cache/cache-services";
import { createDataset } from "../../data/datasets/create-dataset";
import { updateDataset } from "../../data/datasets/update-dataset";
import { createRecords } from "../../data/records/create-records";
import { serviceContext } from "../../service-context";
import { databaseBackends } from "../../testing/backends";
import { createTestKey, createTestProducer } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { env } from "../../env";
import { typesWithoutCacheRule } from "./cache-dependencies";
import { graphqlSchema } from "./graphql-server";
import { codesOf, type GraphQLResult, postGraphQL } from "./testing/post-graphql";

type CacheMetadata = { hit: boolean; didCache?: boolean };

const cacheOf = (body: GraphQLResult) =>
  (body.extensions as { responseCache?: CacheMetadata } | undefined)?.responseCache;

const RECORDS = `query ($d: String!) { records(dataset: $d, orderBy: "payload.n") {
  nodes { payload owner { id } } } }`;

const payloadsOf = (body: GraphQLResult) =>
  (body.data!.records as { nodes: { payload: { n: number } }[] }).nodes.map((r) => r.payload.n);

// The cache in each store it lives in: in-process beside the embedded database, and in Redis beside
// the real PostgreSQL (where another instance's writes must make an entry stale too).
const backends = databaseBackends.map((backend) => ({
  ...backend,
  redisUrl: backend.url ? env().REDIS_URL : undefined,
}));

describe.each(backends)("the GraphQL response cache on $name PostgreSQL", (backend) => {
  const { db, namespace } = useTestServices(backend, backend.redisUrl);

  async function world() {
    const alice = await createTestProducer(db());
    const bob = await createTestProducer(db());
    const admin = await createTestKey(db(), "admin", ["read", "write"]);
    const asAlice = serviceContext({ principal: alice.principal });
    const dataset = await createDataset({
      ...asAlice,
      name: `cached_${randomUUID().slice(0, 8)}`,
      policy: "user_data",
    });
    const write = (who: typeof alice, n: number) =>
      createRecords({
        ...serviceContext({ principal: who.principal }),
        dataset: dataset.name,
        payloads: [{ n }],
      });
    await write(alice, 1);
    await write(bob, 2);
    return { alice, bob, admin, dataset, write };
  }

  it("answers a repeated query from the cache, each principal only with what it may see", async () => {
    const w = await world();
    const d = { d: w.dataset.name };

    const first = await postGraphQL(w.alice.key, RECORDS, d);
    expect(cacheOf(first.body)).toMatchObject({ hit: false, didCache: true });
    const again = await postGraphQL(w.alice.key, RECORDS, d);
    expect(cacheOf(again.body)).toMatchObject({ hit: true });
    expect(again.body.data).toEqual(first.body.data);
    expect(payloadsOf(again.body)).toEqual([1]);

    // The same operation and variables for Bob and an admin: their own entries, their own rows.
    const asBob = await postGraphQL(w.bob.key, RECORDS, d);
    expect(cacheOf(asBob.body)).toMatchObject({ hit: false });
    expect(payloadsOf(asBob.body)).toEqual([2]);
    const asAdmin = await postGraphQL(w.admin.key, RECORDS, d);
    expect(cacheOf(asAdmin.body)).toMatchObject({ hit: false });
    expect(payloadsOf(asAdmin.body)).toEqual([1, 2]);
    expect(payloadsOf((await postGraphQL(w.bob.key, RECORDS, d)).body)).toEqual([2]);

    // Another user's email is for admins only: a field-level rule the cache must not carry across.
    const owner = `query ($id: ID!) { userData(userId: $id) { user { email } } }`;
    const id = { id: w.alice.principal.userId };
    const seenByAdmin = await postGraphQL(w.admin.key, owner, id);
    expect((seenByAdmin.body.data!.userData as { user: { email: string } }).user.email).toBe(
      w.alice.principal.email,
    );
    const refusedToBob = await postGraphQL(w.bob.key, owner, id);
    expect(codesOf(refusedToBob.body)).toEqual(["forbidden"]);
  });

  it("leaves a record by id to the record cache, and caches it with a relation", async () => {
    const w = await world();
    const [record] = await db().prisma.record.findMany({ where: { datasetId: w.dataset.id } });
    const id = { id: record!.id };
    const own = `query ($id: ID!) { record(id: $id) { id payload } }`;
    await postGraphQL(w.admin.key, own, id);
    const again = await postGraphQL(w.admin.key, own, id);
    expect(again.body.data).toEqual({ record: { id: record!.id, payload: record!.payload } });
    // The record service answered from its own cache; the response cache was not asked.
    expect(cacheOf(again.body)).toBeUndefined();

    const withDataset = `query ($id: ID!) { record(id: $id) { id dataset { name } } }`;
    await postGraphQL(w.admin.key, withDataset, id);
    expect(cacheOf((await postGraphQL(w.admin.key, withDataset, id)).body)).toMatchObject({
      hit: true,
    });
  });

  it("keeps the entries of one user's keys apart when their permissions differ", async () => {
    const reader = await createTestKey(db(), "admin", ["read"]);
    const writer = await createTestKey(db(), "admin", ["read", "write"]);
    const query = `{ datasets { id } }`;
    await postGraphQL(reader.key, query);
    expect(cacheOf((await postGraphQL(reader.key, query)).body)).toMatchObject({ hit: true });
    expect(cacheOf((await postGraphQL(writer.key, query)).body)).toMatchObject({ hit: false });
  });

  it("serves nothing stale: a write through any door, or a change to the dataset, makes entries stale at once", async () => {
    const w = await world();
    const d = { d: w.dataset.name };
    await postGraphQL(w.admin.key, RECORDS, d);

    // A record written by the service REST and tRPC call.
    await w.write(w.alice, 3);
    const afterWrite = await postGraphQL(w.admin.key, RECORDS, d);
    expect(cacheOf(afterWrite.body)).toMatchObject({ hit: false });
    expect(payloadsOf(afterWrite.body)).toEqual([1, 2, 3]);

    // A GraphQL mutation.
    const create = `mutation ($id: ID!, $data: UserDataInput!) {
      updateUserData(userId: $id, data: $data) { changed { created { id } } } }`;
    const created = await postGraphQL(w.alice.key, create, {
      id: w.alice.principal.userId,
      data: { create: [{ dataset: w.dataset.name, payload: { n: 4 } }] },
    });
    expect(created.body.errors).toBeUndefined();
    expect(cacheOf(created.body)?.didCache).not.toBe(true);
    expect(payloadsOf((await postGraphQL(w.admin.key, RECORDS, d)).body)).toEqual([1, 2, 3, 4]);

    // A record by id, then its dataset's policy changes: Bob may read it now.
    const byId = `query ($id: ID!) { record(id: $id) { payload } }`;
    const [aliceFirst] = await db().prisma.record.findMany({
      where: { datasetId: w.dataset.id, ownerId: w.alice.principal.userId },
      orderBy: { createdAt: "asc" },
    });
    const hidden = await postGraphQL(w.bob.key, byId, { id: aliceFirst!.id });
    expect(hidden.body.data).toEqual({ record: null });
    await updateDataset({
      ...serviceContext({ principal: w.admin.principal }),
      datasetRef: w.dataset.name,
      policy: "analytics",
    });
    const visible = await postGraphQL(w.bob.key, byId, { id: aliceFirst!.id });
    expect(visible.body.data).toEqual({ record: { payload: { n: 1 } } });

    // A new dataset joins the list of datasets.
    const list = `{ datasets { name } }`;
    await postGraphQL(w.admin.key, list);
    const name = `later_${randomUUID().slice(0, 8)}`;
    await createDataset({ ...serviceContext({ principal: w.alice.principal }), name });
    const names = (await postGraphQL(w.admin.key, list)).body.data!.datasets as { name: string }[];
    expect(names.map((dataset) => dataset.name)).toContain(name);
  });

  it.runIf(backend.redisUrl)(
    "makes an entry stale when another instance writes, through the shared change clock",
    async () => {
      const w = await world();
      const d = { d: w.dataset.name };
      await postGraphQL(w.admin.key, RECORDS, d);
      expect(cacheOf((await postGraphQL(w.admin.key, RECORDS, d)).body)).toMatchObject({
        hit: true,
      });
      // A second instance: its own Redis connections, the same deployment's namespace.
      const other = await createCacheServices({
        redisUrl: backend.redisUrl,
        namespace,
      });
      try {
        await createRecords({
          ...serviceContext({ principal: w.bob.principal }),
          cache: other,
          dataset: w.dataset.name,
          payloads: [{ n: 5 }],
        });
      } finally {
        await other.close();
      }
      const fresh = await postGraphQL(w.admin.key, RECORDS, d);
      expect(cacheOf(fresh.body)).toMatchObject({ hit: false });
      expect(payloadsOf(fresh.body)).toEqual([1, 2, 5]);
    },
  );

  it("never caches what no change mark covers, a mutation, an error, or an unknown persisted query", async () => {
    const w = await world();
    // Import jobs move without a mark: a response holding one is not kept.
    const jobs = `{ importJobs { nodes { id } } }`;
    await postGraphQL(w.alice.key, jobs);
    expect(cacheOf((await postGraphQL(w.alice.key, jobs)).body)).toMatchObject({ hit: false });

    const broken = `query ($d: String!) { records(dataset: $d, orderBy: "nope") { nodes { id } } }`;
    await postGraphQL(w.alice.key, broken, { d: w.dataset.name });
    const again = await postGraphQL(w.alice.key, broken, { d: w.dataset.name });
    expect(codesOf(again.body)).toEqual(["bad_request"]);
    expect(cacheOf(again.body)?.hit).not.toBe(true);

    const query = `{ me { id } } # ${randomUUID()}`;
    const persisted = {
      persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") },
    };
    for (let i = 0; i < 2; i++) {
      const unknown = await postGraphQL(w.alice.key, undefined, undefined, persisted);
      expect(unknown.body.errors?.[0]?.message).toBe("PersistedQueryNotFound");
    }
    await postGraphQL(w.alice.key, query, undefined, persisted);
    const known = await postGraphQL(w.alice.key, undefined, undefined, persisted);
    expect(known.body.data).toEqual({ me: { id: w.alice.principal.userId } });
    expect(cacheOf(known.body)).toMatchObject({ hit: true });
  });
});

/** The object types whose presence keeps a response out of the cache: a new type is a choice. */
describe("the response cache's rules", () => {
  it("covers every object type of the schema but those that change without a mark", () => {
    expect(typesWithoutCacheRule(graphqlSchema())).toEqual([
      "ArchiveResult",
      "ImportJob",
      "ImportJobConnection",
      "ImportResult",
      "StreamEvent",
      "UserDataChanges",
    ]);
  });
});
