import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { databaseBackends } from "../../testing/backends";
import { createTestKey } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { upsertEmbeddings } from "../embeddings/upsert-embeddings";
import { axis } from "../testing/vector-fixtures";
import { embeddingCounts } from "./embedding-counts";

describe.each(databaseBackends)("embedding counts on $name PostgreSQL", (backend) => {
  const { db, cache } = useTestServices(backend);

  it("counts every vector type, those without embeddings too, as readers see them", async () => {
    const admin = await createTestKey(db(), "admin", ["read", "write"]);
    const reader = await createTestKey(db(), "reader", ["read"]);
    const ds = await db().prisma.dataset.create({
      data: {
        name: `counts-${randomUUID()}`,
        ownerId: admin.principal.userId,
        policy: "analytics",
      },
    });
    const records = await Promise.all(
      [1, 2].map((n) =>
        db().prisma.record.create({
          data: { datasetId: ds.id, ownerId: admin.principal.userId, payload: { n } },
        }),
      ),
    );
    const byType = async () =>
      new Map(
        (await embeddingCounts({ db: db(), principal: reader.principal })).items.map((item) => [
          item.type,
          item.count,
        ]),
      );
    const before = await byType();
    expect([...before.keys()]).toEqual(["TEXT", "IMAGE", "AUDIO", "CUSTOM"]);

    await upsertEmbeddings({
      db: db(),
      cache: cache(),
      principal: admin.principal,
      items: [
        { recordId: records[0]!.id, type: "AUDIO", model: "test/axis", vector: axis(1) },
        { recordId: records[1]!.id, type: "AUDIO", model: "test/axis", vector: axis(2) },
        { recordId: records[1]!.id, type: "IMAGE", model: "test/axis", vector: axis(3) },
      ],
    });
    const after = await byType();
    // The shared server's database may hold other tests' embeddings: compare the differences.
    expect(after.get("AUDIO")! - before.get("AUDIO")!).toBe(2);
    expect(after.get("IMAGE")! - before.get("IMAGE")!).toBe(1);
  });
});
