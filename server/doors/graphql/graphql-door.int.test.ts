import { createHash, randomUUID } from "node:crypto";

import pg from "pg";
import { describe, expect, it, vi } from "vitest";

import { createDataset } from "../../data/datasets/create-dataset";
import { createRecords } from "../../data/records/create-records";
import { upsertEmbeddings } from "../../vectors/embeddings/upsert-embeddings";
import { axis } from "../../vectors/testing/vector-fixtures";
import { serviceContext } from "../../service-context";
import { databaseBackends } from "../../testing/backends";
import { createTestKey, createTestProducer } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { GET, POST } from "./graphql-route";
import { GRAPHQL_LIMITS } from "./graphql-server";
import { codesOf, GRAPHQL_TEST_URL, type GraphQLResult, postGraphQL } from "./testing/post-graphql";

const URL_ = GRAPHQL_TEST_URL;
const graphql = (key: string | undefined, query: string, variables?: Record<string, unknown>) =>
  postGraphQL(key, query, variables);

describe.each(databaseBackends)("the GraphQL door on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);

  /** Two producers with records in a user_data (owner_only) and an analytics dataset. */
  async function world() {
    const alice = await createTestProducer(db());
    const bob = await createTestProducer(db());
    const admin = await createTestKey(db(), "admin", ["read", "write"]);
    const asAlice = serviceContext({ principal: alice.principal });
    const asBob = serviceContext({ principal: bob.principal });
    const suffix = randomUUID().slice(0, 8);
    const personal = await createDataset({
      ...asAlice,
      name: `personal_${suffix}`,
      policy: "user_data",
    });
    const shared = await createDataset({
      ...asBob,
      name: `shared_${suffix}`,
      policy: "analytics",
    });
    const alicePersonal = await createRecords({
      ...asAlice,
      dataset: personal.name,
      payloads: [
        { n: 1, status: "open", address: { city: "Oslo", zip: "0150" } },
        { n: 2, status: "closed", address: { city: "Bergen", zip: "5003" } },
      ],
    });
    const bobPersonal = await createRecords({
      ...asBob,
      dataset: personal.name,
      payloads: [{ n: 3, status: "open" }],
    });
    await createRecords({ ...asAlice, dataset: shared.name, payloads: [{ n: 4 }] });
    await createRecords({ ...asBob, dataset: shared.name, payloads: [{ n: 5 }, { n: 6 }] });
    return { alice, bob, admin, personal, shared, alicePersonal, bobPersonal };
  }

  it("refuses a request without credentials as GraphQL, with the envelope's code and 401", async () => {
    const { status, body } = await graphql(undefined, "{ me { id } }");
    expect(status).toBe(401);
    expect(codesOf(body)).toEqual(["unauthorized"]);
  });

  it("answers userData with what that user owns, within owner_only, with the data rate limit's headers", async () => {
    const w = await world();
    const { status, headers, body } = await graphql(
      w.alice.key,
      `
        query ($id: ID!, $dataset: String) {
          userData(userId: $id) {
            user {
              id
              email
            }
            records(dataset: $dataset, orderBy: "payload.n", first: 1) {
              nodes {
                payload(paths: ["address.city"])
                dataset {
                  name
                  policy
                }
                owner {
                  id
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
              totalCount
            }
            datasets {
              name
            }
          }
        }
      `,
      { id: w.alice.principal.userId, dataset: w.personal.name },
    );
    expect(status).toBe(200);
    expect(headers.get("RateLimit-Limit")).toMatch(/^\d+$/);
    expect(body.errors).toBeUndefined();
    const userData = body.data!.userData as {
      user: { id: string; email: string };
      records: {
        nodes: { payload: unknown; dataset: { name: string }; owner: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
        totalCount: number;
      };
      datasets: { name: string }[];
    };
    expect(userData.user).toEqual({ id: w.alice.principal.userId, email: w.alice.principal.email });
    expect(userData.records.totalCount).toBe(2);
    expect(userData.records.nodes).toEqual([
      {
        payload: { address: { city: "Oslo" } },
        dataset: { name: w.personal.name, policy: "user_data" },
        owner: { id: w.alice.principal.userId },
      },
    ]);
    expect(userData.records.pageInfo.hasNextPage).toBe(true);
    expect(userData.datasets.map((d) => d.name)).toEqual([w.personal.name]);

    // The next page, by the cursor: the second record, and the end.
    const next = await graphql(
      w.alice.key,
      `
        query ($id: ID!, $after: String) {
          userData(userId: $id) {
            records(orderBy: "payload.n", first: 5, after: $after) {
              nodes {
                payload
              }
              pageInfo {
                hasNextPage
              }
            }
          }
        }
      `,
      { id: w.alice.principal.userId, after: userData.records.pageInfo.endCursor },
    );
    expect(next.body.data).toEqual({
      userData: {
        records: {
          nodes: [
            { payload: { n: 2, status: "closed", address: { city: "Bergen", zip: "5003" } } },
            { payload: { n: 4 } },
          ],
          pageInfo: { hasNextPage: false },
        },
      },
    });
  });

  it("holds the REST policies: owner_only, another user's data, emails, and records hidden as null", async () => {
    const w = await world();
    const personalOf = async (key: string) =>
      (
        await graphql(
          key,
          `
            query ($d: String) {
              records(dataset: $d) {
                nodes {
                  payload
                }
              }
            }
          `,
          {
            d: w.personal.name,
          },
        )
      ).body.data as { records: { nodes: { payload: { n: number } }[] } };
    const ns = (data: { records: { nodes: { payload: { n: number } }[] } }) =>
      data.records.nodes.map((node) => node.payload.n).sort();
    expect(ns(await personalOf(w.alice.key))).toEqual([1, 2]);
    expect(ns(await personalOf(w.bob.key))).toEqual([3]);
    expect(ns(await personalOf(w.admin.key))).toEqual([1, 2, 3]);

    // A dataset's recordCount counts what the caller may see, by name or in the list of all.
    const countsOf = async (key: string) => {
      const query = `query ($d: String!) { dataset(ref: $d) { recordCount }
        datasets { name recordCount } }`;
      const { body } = await graphql(key, query, { d: w.personal.name });
      const data = body.data as {
        dataset: { recordCount: number };
        datasets: { name: string; recordCount: number }[];
      };
      const listed = data.datasets.find((dataset) => dataset.name === w.personal.name);
      return [data.dataset.recordCount, listed?.recordCount];
    };
    expect(await countsOf(w.alice.key)).toEqual([2, 2]);
    expect(await countsOf(w.bob.key)).toEqual([1, 1]);
    expect(await countsOf(w.admin.key)).toEqual([3, 3]);

    // The same through the batched Dataset.records: each dataset's policy for its own page.
    const viaDatasets = async (key: string) => {
      const { body } = await graphql(
        key,
        `
          {
            datasets {
              name
              records(orderBy: "payload.n") {
                nodes {
                  payload
                }
              }
            }
          }
        `,
      );
      const datasets = body.data!.datasets as {
        name: string;
        records: { nodes: { payload: { n: number } }[] };
      }[];
      const ns = (name: string) =>
        datasets.find((d) => d.name === name)!.records.nodes.map((node) => node.payload.n);
      return { personal: ns(w.personal.name), shared: ns(w.shared.name) };
    };
    expect(await viaDatasets(w.bob.key)).toEqual({ personal: [3], shared: [4, 5, 6] });
    expect(await viaDatasets(w.alice.key)).toEqual({ personal: [1, 2], shared: [4, 5, 6] });
    expect(await viaDatasets(w.admin.key)).toEqual({ personal: [1, 2, 3], shared: [4, 5, 6] });

    // Another user's data: forbidden to a producer, open to an admin.
    const query = `query ($id: ID!) { userData(userId: $id) { records { nodes { id } } } }`;
    const refused = await graphql(w.bob.key, query, { id: w.alice.principal.userId });
    expect(codesOf(refused.body)).toEqual(["forbidden"]);
    expect(refused.body.data).toEqual({ userData: null });
    const asAdmin = await graphql(w.admin.key, query, { id: w.alice.principal.userId });
    expect(
      (asAdmin.body.data!.userData as { records: { nodes: unknown[] } }).records.nodes,
    ).toHaveLength(3);

    // Bob reads the shared dataset: Alice's record, her name but not her email.
    const shared = await graphql(
      w.bob.key,
      `
        query ($d: String) {
          records(dataset: $d, orderBy: "payload.n") {
            nodes {
              payload
              owner {
                id
                email
              }
            }
          }
        }
      `,
      { d: w.shared.name },
    );
    const nodes = (
      shared.body.data!.records as { nodes: { owner: { id: string; email: string | null } }[] }
    ).nodes;
    expect(nodes[0]!.owner).toEqual({ id: w.alice.principal.userId, email: null });
    expect(nodes[1]!.owner).toEqual({ id: w.bob.principal.userId, email: w.bob.principal.email });

    // Alice's personal record is not Bob's to read: null, as if it did not exist.
    const hidden = await graphql(
      w.bob.key,
      `
        query ($id: ID!) {
          record(id: $id) {
            id
          }
        }
      `,
      {
        id: w.alicePersonal[0]!.id,
      },
    );
    expect(hidden.body).toMatchObject({ data: { record: null } });
    expect(hidden.body.errors).toBeUndefined();
    const own = await graphql(
      w.alice.key,
      `
        query ($id: ID!) {
          record(id: $id) {
            id
            ownerId
            createdAt
          }
        }
      `,
      {
        id: w.alicePersonal[0]!.id,
      },
    );
    expect(own.body.data!.record).toMatchObject({
      id: w.alicePersonal[0]!.id,
      ownerId: w.alice.principal.userId,
    });
  });

  it("answers vectors(type): a page of the embeddings you may read, or the nearest ones", async () => {
    const w = await world();
    const asAlice = serviceContext({ principal: w.alice.principal });
    const asBob = serviceContext({ principal: w.bob.principal });
    // Alice's two personal records lie along axes 0 and 1; Bob's personal one along axis 2.
    await upsertEmbeddings({
      ...asAlice,
      items: w.alicePersonal.map((record, i) => ({
        recordId: record.id,
        type: "CUSTOM" as const,
        model: "test",
        vector: axis(i),
      })),
    });
    await upsertEmbeddings({
      ...asBob,
      items: [{ recordId: w.bobPersonal[0]!.id, type: "CUSTOM", model: "test", vector: axis(2) }],
    });
    const ours = new Set([...w.alicePersonal, ...w.bobPersonal].map((record) => record.id));
    const page = async (key: string) => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { body } = await graphql(
          key,
          `
            query ($after: ID) {
              vectors(type: CUSTOM, first: 2, after: $after) {
                recordId
                model
                dimensions
                record {
                  ownerId
                }
              }
            }
          `,
          { after },
        );
        expect(body.errors).toBeUndefined();
        const items = body.data!.vectors as { recordId: string; model: string }[];
        ids.push(...items.map((item) => item.recordId));
        if (items.length < 2) return ids.filter((id) => ours.has(id)).sort();
        after = items.at(-1)!.recordId;
      }
    };
    // owner_only holds: Bob never sees Alice's personal embeddings, an admin sees all three.
    expect(await page(w.bob.key)).toEqual([w.bobPersonal[0]!.id]);
    expect(await page(w.alice.key)).toEqual(w.alicePersonal.map((r) => r.id).sort());
    expect(await page(w.admin.key)).toEqual([...ours].sort());

    const { body } = await graphql(
      w.alice.key,
      `query ($v: [Float!]) { vectors(type: CUSTOM, similarTo: { vector: $v, k: 5, filter: { dataset: "${w.personal.name}" } }) { recordId score record { payload } } }`,
      { v: axis(1) },
    );
    expect(body.errors).toBeUndefined();
    const near = body.data!.vectors as { recordId: string; score: number }[];
    expect(near.map((hit) => hit.recordId)).toEqual([
      w.alicePersonal[1]!.id,
      w.alicePersonal[0]!.id,
    ]);
    expect(near[0]!.score).toBeCloseTo(1);

    const both = await graphql(
      w.alice.key,
      `{ vectors(type: CUSTOM, similarTo: { text: "x", recordId: "${w.alicePersonal[0]!.id}" }) { recordId } }`,
    );
    expect(codesOf(both.body)).toEqual(["validation_failed"]);
  });

  it("changes a user's data field by field in one atomic, audited updateUserData", async () => {
    const w = await world();
    const [first, second] = w.alicePersonal;
    const mutation = `mutation ($id: ID!, $data: UserDataInput!) {
      updateUserData(userId: $id, data: $data) {
        changed { created { payload } updated { id payload } deleted }
        records(orderBy: "payload.n") { nodes { payload } }
      }
    }`;
    const run = (key: string, data: unknown) =>
      graphql(key, mutation, { id: w.alice.principal.userId, data });

    // One change that cannot be made leaves everything as it was: Bob's record is not Alice's,
    // and a producer may not delete.
    for (const removal of [w.bobPersonal[0]!.id, second!.id]) {
      const refused = await run(w.alice.key, {
        update: [{ id: first!.id, set: { "address.city": "Trondheim" } }],
        delete: [{ id: removal }],
      });
      expect(codesOf(refused.body)).toEqual([removal === second!.id ? "forbidden" : "not_found"]);
      const unchanged = await db().prisma.record.findUniqueOrThrow({ where: { id: first!.id } });
      expect(unchanged.payload).toEqual(first!.payload);
    }

    const { body } = await run(w.alice.key, {
      create: [{ dataset: w.personal.name, payload: { n: 0 } }],
      update: [
        {
          id: first!.id,
          set: { "address.city": "Trondheim", "tags.new": true },
          unset: ["status"],
        },
      ],
    });
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const result = body.data!.updateUserData as {
      changed: { created: unknown[]; updated: { id: string; payload: unknown }[] };
      records: { nodes: { payload: unknown }[] };
    };
    const changedFirst = { n: 1, address: { city: "Trondheim", zip: "0150" }, tags: { new: true } };
    expect(result.changed.created).toEqual([{ payload: { n: 0 } }]);
    expect(result.changed.updated).toEqual([{ id: first!.id, payload: changedFirst }]);
    expect(result.records.nodes.map((node) => node.payload)).toEqual([
      { n: 0 },
      changedFirst,
      second!.payload,
      { n: 4 },
    ]);

    // An admin may change anyone's data: here, delete one of Alice's records.
    const deleter = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    const removed = await graphql(deleter.key, mutation, {
      id: w.alice.principal.userId,
      data: { delete: [{ id: second!.id }] },
    });
    expect(
      (removed.body.data!.updateUserData as { changed: { deleted: string[] } }).changed.deleted,
    ).toEqual([second!.id]);
    const audited = await db().prisma.auditLog.findMany({
      where: { resourceId: { in: [first!.id, second!.id] } },
      select: { action: true },
    });
    expect(audited.length).toBeGreaterThanOrEqual(2);

    const stale = await run(w.alice.key, {
      update: [{ id: first!.id, set: { n: 9 }, ifMatch: '"old"' }],
    });
    expect(codesOf(stale.body)).toEqual(["precondition_failed"]);
    const notObject = await run(w.alice.key, {
      update: [{ id: first!.id, set: { "n.deeper": 1 } }],
    });
    expect(codesOf(notObject.body)).toEqual(["validation_failed"]);
    const badPath = await run(w.alice.key, { update: [{ id: first!.id, unset: ["a..b"] }] });
    expect(codesOf(badPath.body)).toEqual(["validation_failed"]);
    const notHers = await graphql(w.bob.key, mutation, {
      id: w.alice.principal.userId,
      data: { delete: [{ id: first!.id }] },
    });
    expect(codesOf(notHers.body)).toEqual(["forbidden"]);
  });

  it("archives and restores by criteria, with the write permission and the REST filter syntax", async () => {
    const w = await world();
    const readOnly = await createTestKey(db(), "admin", ["read"]);
    const mutation = `mutation ($c: ArchiveCriteria!) { archiveData(criteria: $c) { count ids } }`;
    const criteria = { dataset: w.personal.name, filter: { "payload.status": "eq.open" } };
    const refused = await graphql(readOnly.key, mutation, { c: criteria });
    expect(codesOf(refused.body)).toEqual(["forbidden"]);

    const archived = await graphql(w.alice.key, mutation, { c: criteria });
    // Alice may write only her own records of the owner_only dataset: her open one, not Bob's.
    expect(archived.body.data).toEqual({
      archiveData: { count: 1, ids: [w.alicePersonal[0]!.id] },
    });
    const left = await graphql(
      w.admin.key,
      `
        query ($d: String) {
          records(dataset: $d, archived: ARCHIVED) {
            nodes {
              id
            }
          }
        }
      `,
      { d: w.personal.name },
    );
    expect(left.body.data).toEqual({ records: { nodes: [{ id: w.alicePersonal[0]!.id }] } });
    const restored = await graphql(
      w.alice.key,
      `
        mutation ($c: ArchiveCriteria!) {
          restoreData(criteria: $c) {
            count
          }
        }
      `,
      { c: criteria },
    );
    expect(restored.body.data).toEqual({ restoreData: { count: 1 } });
  });

  it("answers analytics over a time range, and refuses an inverted one once", async () => {
    const w = await world();
    const query = `query ($r: TimeRange!) { analytics(timeRange: $r) {
      stepSeconds
      series(rule: "system_metrics_5m", function: avg) { group points { t value count } }
      recordActivity { dataset created }
    } }`;
    const now = Date.now();
    const from = new Date(now - 3_600_000).toISOString();
    const to = new Date(now + 60_000).toISOString();
    const { body } = await graphql(w.alice.key, query, {
      r: { from, to, stepSeconds: 3600 },
    });
    expect(body.errors).toBeUndefined();
    const analytics = body.data!.analytics as {
      stepSeconds: number;
      series: unknown[];
      recordActivity: { dataset: string; created: number }[];
    };
    expect(analytics.stepSeconds).toBe(3600);
    expect(analytics.series).toEqual([]);
    // Alice's own records in the owner_only dataset; everyone's in the analytics one.
    const created: Record<string, number> = {};
    for (const point of analytics.recordActivity)
      created[point.dataset] = (created[point.dataset] ?? 0) + point.created;
    expect(created[w.personal.name]).toBe(2);
    expect(created[w.shared.name]).toBe(3);

    const inverted = await graphql(w.alice.key, query, {
      r: { from: to, to: from, stepSeconds: 60 },
    });
    expect(codesOf(inverted.body)).toEqual(["validation_failed"]);
    expect(JSON.stringify(inverted.body.errors![0]!.extensions.details)).toMatch(
      /from must be before to/,
    );
  });

  it("refuses bad operations with GraphQL errors whose code is the envelope's", async () => {
    const { key } = await createTestKey(db(), "admin", ["read", "write"]);
    const syntax = await graphql(key, "{ me { id ");
    expect(syntax.status, JSON.stringify(syntax.body)).toBe(400);
    expect(codesOf(syntax.body)).toEqual(["bad_request"]);

    const unknown = await graphql(key, "{ me { id password } }");
    expect(unknown.status).toBe(400);
    expect(codesOf(unknown.body)).toEqual(["validation_failed"]);
    expect(unknown.body.errors![0]!.message).not.toMatch(/Did you mean/);

    const variables = await graphql(key, "query ($id: ID!) { record(id: $id) { id } }", {
      id: { not: "an id" },
    });
    expect(variables.status).toBe(400);
    expect(codesOf(variables.body)).toEqual(["validation_failed"]);

    const badId = await graphql(
      key,
      `
        {
          record(id: "42") {
            id
          }
        }
      `,
    );
    expect(codesOf(badId.body)).toEqual(["validation_failed"]);

    const badFilter = await graphql(
      key,
      `
        query ($f: RecordFilter) {
          records(filter: $f) {
            nodes {
              id
            }
          }
        }
      `,
      { f: { payload: { "payload.n": "between.1" } } },
    );
    expect(codesOf(badFilter.body)).toEqual(["bad_request"]);
    expect(badFilter.body.errors![0]!.message).toMatch(/between/);

    const deep = `{ records { nodes { dataset { records { nodes { dataset { records { nodes { dataset { records { nodes { dataset { name } } } } } } } } } } } } }`;
    const tooDeep = await graphql(key, deep);
    expect(tooDeep.status).toBe(400);
    // A guard rail's refusal: a request the server will not run as sent.
    expect(codesOf(tooDeep.body)).toEqual(["bad_request"]);
    expect(tooDeep.body.errors![0]!.message).toMatch(new RegExp(`${GRAPHQL_LIMITS.maxDepth}`));

    const aliases = Array.from(
      { length: GRAPHQL_LIMITS.maxAliases + 1 },
      (_, i) => `a${i}: me { id }`,
    );
    const tooMany = await graphql(key, `{ ${aliases.join(" ")} }`);
    expect(codesOf(tooMany.body)).toEqual(["bad_request"]);
  });

  it("prices each operation with its list sizes: reported in extensions, refused above the limit before it runs", async () => {
    const { key } = await createTestKey(db(), "admin", ["read", "write"]);
    const query = `query ($n: Int) { records(first: $n) { nodes {
      id payload createdAt updatedAt datasetId ownerId archived archivedAt
      dataset { name policy } owner { name email } } } }`;
    const small = await graphql(key, query, { n: 10 });
    expect(small.body.errors).toBeUndefined();
    const cost = (small.body as { extensions?: { cost?: { requested: number; maximum: number } } })
      .extensions?.cost;
    expect(cost?.maximum).toBe(5000);
    expect(cost?.requested).toBeGreaterThan(100);
    expect(cost?.requested).toBeLessThan(500);

    const big = await graphql(key, query, { n: 500 });
    expect(big.status).toBe(400);
    expect(codesOf(big.body)).toEqual(["bad_request"]);
    expect(big.body.data).toBeUndefined();
    const refusal = big.body.errors![0]!;
    expect(refusal.extensions.cost).toBeGreaterThan(5000);
    expect(refusal.message).toMatch(/over the limit of 5000/);

    // Costs are remembered per document and what of the variables can change them: the same
    // document and sizes with another string is one price; a skipped field is not charged.
    const requested = (body: GraphQLResult) =>
      (body.extensions as { cost: { requested: number } }).cost.requested;
    const optional = `query ($n: Int, $d: String, $all: Boolean!) {
      records(first: $n, dataset: $d) { nodes { id payload @include(if: $all) } } }`;
    const [withPayload, otherDataset, withoutPayload] = await Promise.all([
      graphql(key, optional, { n: 10, d: "a", all: true }),
      graphql(key, optional, { n: 10, d: "b", all: true }),
      graphql(key, optional, { n: 10, d: "a", all: false }),
    ]);
    expect(requested(otherDataset.body)).toBe(requested(withPayload.body));
    expect(requested(withoutPayload.body)).toBeLessThan(requested(withPayload.body));
  });

  it("limits an expensive field per caller on top of the endpoint's limit (@rateLimit)", async () => {
    const { key, principal } = await createTestKey(db(), "admin", ["read"]);
    const query = `query ($r: TimeRange!) { me { id } analytics(timeRange: $r) { stepSeconds } }`;
    // Each asks a different range: an answer served from the response cache costs nothing.
    const r = (n: number) => ({
      from: "2026-12-01T00:00:00Z",
      to: new Date(Date.parse("2026-12-02T00:00:00Z") + n * 1000).toISOString(),
      stepSeconds: 3600,
    });
    for (let sent = 0; sent < 120; sent += 20) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => graphql(key, query, { r: r(sent + i) })),
      );
      expect(answers.every(({ body }) => body.errors === undefined)).toBe(true);
    }
    const limited = await graphql(key, query, { r: r(120) });
    // The field is refused; the rest of the operation still answers.
    expect(codesOf(limited.body)).toEqual(["rate_limited"]);
    expect(limited.body.errors![0]!.path).toEqual(["analytics"]);
    expect(limited.body.data).toEqual({ me: { id: principal.userId }, analytics: null });
  });

  it("runs a batch of operations, and refuses one larger than the limit", async () => {
    const { key, principal } = await createTestKey(db(), "admin", ["read"]);
    const batch = (size: number) =>
      POST(
        new Request(URL_, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key },
          body: JSON.stringify(Array.from({ length: size }, () => ({ query: "{ me { id } }" }))),
        }),
      );
    const ok = await batch(GRAPHQL_LIMITS.maxBatch);
    expect(ok.status).toBe(200);
    const results = (await ok.json()) as GraphQLResult[];
    expect(results).toHaveLength(GRAPHQL_LIMITS.maxBatch);
    expect(results[0]!.data).toEqual({ me: { id: principal.userId } });
    const tooMany = await batch(GRAPHQL_LIMITS.maxBatch + 1);
    expect(tooMany.status).toBe(413);
    expect(codesOf((await tooMany.json()) as GraphQLResult)).toEqual(["payload_too_large"]);
  });

  it("takes automatic persisted queries: a hash alone once the query is registered", async () => {
    const { key, principal } = await createTestKey(db(), "admin", ["read"]);
    const query = `{ me { id } } # ${randomUUID()}`;
    const extensions = {
      persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") },
    };
    const post = (body: object) =>
      POST(
        new Request(URL_, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key },
          body: JSON.stringify(body),
        }),
      ).then((response) => response.json() as Promise<GraphQLResult>);
    expect((await post({ extensions })).errors?.[0]?.message).toBe("PersistedQueryNotFound");
    const me = { me: { id: principal.userId } };
    expect((await post({ query, extensions })).data).toEqual(me);
    expect((await post({ extensions })).data).toEqual(me);
  });

  it("serves GET for queries and refuses a mutation over GET", async () => {
    const { key } = await createTestKey(db(), "admin", ["read", "write"]);
    const get = (query: string) =>
      GET(
        new Request(`${URL_}?query=${encodeURIComponent(query)}`, {
          headers: { "x-api-key": key, accept: "application/graphql-response+json" },
        }),
      );
    const me = await get("{ me { id } }");
    expect(me.status).toBe(200);
    const mutation = await get(`mutation { archiveData(criteria: { dataset: "x" }) { count } }`);
    expect(mutation.status).toBe(405);
    expect(codesOf((await mutation.json()) as GraphQLResult)).toEqual(["method_not_allowed"]);
  });

  it("grants no other origin the right to read its answers, as REST grants none", async () => {
    const { key } = await createTestKey(db(), "admin", ["read", "write"]);
    const origin = { origin: "https://sibling.lake.test" };
    const get = await GET(
      new Request(`${URL_}?query=${encodeURIComponent("{ me { id } }")}`, {
        headers: { "x-api-key": key, ...origin },
      }),
    );
    const post = await POST(
      new Request(URL_, {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json", ...origin },
        body: JSON.stringify({ query: "{ me { id } }" }),
      }),
    );
    for (const response of [get, post]) {
      expect(response.status).toBe(200);
      const granted = [...response.headers.keys()].filter((name) =>
        name.startsWith("access-control-"),
      );
      expect(granted).toEqual([]);
    }
  });

  it("loads a page's datasets and owners in one statement each, however many records it holds", async () => {
    const w = await world();
    const more = Array.from({ length: 50 }, (_, n) => ({ n }));
    await createRecords({
      ...serviceContext({ principal: w.alice.principal }),
      dataset: w.shared.name,
      payloads: more,
    });
    const spy = vi.spyOn(pg.Client.prototype, "query");
    const statements = async (query: string, variables: Record<string, unknown>) => {
      spy.mockClear();
      const { body } = await graphql(w.admin.key, query, variables);
      expect(body.errors).toBeUndefined();
      // The request's own statements: not the outbox relay's, which runs on a timer meanwhile.
      return spy.mock.calls.filter(([sql]) => {
        const text = String((sql as { text?: string }).text ?? sql);
        return !/stream_outbox|stream_log|^(BEGIN|COMMIT)$/.test(text);
      }).length;
    };
    const page = `query ($n: Int, $d: String) { records(dataset: $d, first: $n) {
      nodes { dataset { name } owner { name } } } }`;
    // Three levels: every dataset, 50 records of each, and their owners.
    const threeLevels = `{ datasets { name records(first: 50) { nodes { owner { name } } } } }`;
    try {
      await statements(page, { n: 2, d: w.shared.name }); // the API key is looked up, then cached
      // Each a different operation: none is answered by the response cache.
      const one = await statements(page, { n: 1, d: w.shared.name });
      const many = await statements(page, { n: 50, d: w.shared.name });
      // The page, its datasets, their owners, and the datasets' visible counts.
      expect(one).toBeLessThanOrEqual(4);
      expect(many).toBe(one);

      const before = await statements(threeLevels, {});
      const asAlice = serviceContext({ principal: w.alice.principal });
      for (let i = 0; i < 3; i++) {
        const extra = await createDataset({
          ...asAlice,
          name: `extra_${randomUUID().slice(0, 8)}`,
        });
        await createRecords({ ...asAlice, dataset: extra.name, payloads: [{ i }, { i: i + 1 }] });
      }
      // Three more datasets, six more records (which make the cached answer stale): not one
      // statement more.
      expect(await statements(threeLevels, {})).toBe(before);
      expect(before).toBeLessThanOrEqual(5);
    } finally {
      spy.mockRestore();
    }
  });
});
