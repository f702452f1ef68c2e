import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { createDataset } from "../../data/datasets/create-dataset";
import { createRecords } from "../../data/records/create-records";
import { serviceContext } from "../../service-context";
import { databaseBackends } from "../../testing/backends";
import { createTestKey, createTestProducer } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { sseOperation } from "./testing/sse-operation";

type Change = { offset: string; topic: string; payload: { action: string; record: { n: number } } };

const RECORD_CHANGES = `subscription ($dataset: String!, $after: String) {
  recordChanges(dataset: $dataset, after: $after) { offset topic payload }
}`;

describe.each(databaseBackends)("GraphQL subscriptions over SSE on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);

  async function world() {
    const alice = await createTestProducer(db());
    const bob = await createTestProducer(db());
    const admin = await createTestKey(db(), "admin", ["read"]);
    const dataset = await createDataset({
      ...serviceContext({ principal: alice.principal }),
      name: `live_${randomUUID().slice(0, 8)}`,
      policy: "user_data",
    });
    const write = (who: typeof alice, n: number) =>
      createRecords({
        ...serviceContext({ principal: who.principal }),
        dataset: dataset.name,
        payloads: [{ n }],
      });
    return { alice, bob, admin, dataset, write };
  }

  const changes = (results: { data?: Record<string, unknown> | null }[]) =>
    results.map((result) => result.data!.recordChanges as Change);

  it("pushes record changes, each authorized for its subscriber (owner_only)", async () => {
    const w = await world();
    const asAlice = await sseOperation(w.alice.key, RECORD_CHANGES, { dataset: w.dataset.name });
    const asAdmin = await sseOperation(w.admin.key, RECORD_CHANGES, { dataset: w.dataset.name });
    expect(asAlice.status).toBe(200);
    expect(asAlice.contentType).toMatch(/text\/event-stream/);
    try {
      await w.write(w.bob, 1);
      await w.write(w.alice, 2);
      // The admin sees both, in log order; Alice only hers (Bob's was never sent to her).
      const seenByAdmin = changes(await asAdmin.next(2));
      expect(seenByAdmin.map((change) => change.payload.record.n)).toEqual([1, 2]);
      const seenByAlice = changes(await asAlice.next(1));
      expect(seenByAlice.map((change) => change.payload.record.n)).toEqual([2]);
      expect(seenByAlice[0]!.offset).toBe(seenByAdmin[1]!.offset);
      expect(seenByAlice[0]!.topic).toBe("records");
    } finally {
      await asAlice.close();
      await asAdmin.close();
    }
  });

  it("resumes after an offset with no gap and no duplicate", async () => {
    const w = await world();
    const first = await sseOperation(w.alice.key, RECORD_CHANGES, { dataset: w.dataset.name });
    await w.write(w.alice, 1);
    const [received] = changes(await first.next(1));
    await first.close();
    // While Alice is away, two more changes.
    await w.write(w.alice, 2);
    await w.write(w.alice, 3);
    const resumed = await sseOperation(w.alice.key, RECORD_CHANGES, {
      dataset: w.dataset.name,
      after: received!.offset,
    });
    try {
      expect(changes(await resumed.next(2)).map((change) => change.payload.record.n)).toEqual([
        2, 3,
      ]);
    } finally {
      await resumed.close();
    }
  });

  it("refuses what cannot be subscribed with the envelope's codes, before any event", async () => {
    const w = await world();
    const refused = async (query: string, variables: Record<string, unknown>) => {
      const operation = await sseOperation(w.alice.key, query, variables);
      const [result] = await operation.next(1);
      await operation.close();
      return result!.errors?.map((error) => error.extensions.code);
    };
    expect(await refused(RECORD_CHANGES, { dataset: "no_such_dataset" })).toEqual(["not_found"]);
    expect(await refused(`subscription { events(topics: ["nope"]) { offset } }`, {})).toEqual([
      "validation_failed",
    ]);
    expect(
      await refused(RECORD_CHANGES, { dataset: w.dataset.name, after: "99999999999" }),
    ).toEqual(["offset_unknown"]);
  });
});
