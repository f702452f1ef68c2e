import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { databaseBackends } from "../../testing/backends";
import { createTestUser } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { selectRecordWithDataset } from "../records/records.queries";
import { createDataset } from "./create-dataset";
import { findDataset } from "./find-dataset";
import { getDataset } from "./get-dataset";
import { listDatasets } from "./list-datasets";
import { updateDataset } from "./update-dataset";

/**
 * `properties` in an order jsonb would change: jsonb sorts keys by length, then by bytes, so it
 * would give back a, z, mm. The Data grid's columns and the schema form's fields follow this
 * order, so it must come back as written through every way a schema is read.
 */
const SCHEMA = {
  type: "object",
  properties: {
    z: { type: "string" },
    a: { type: "number" },
    mm: { type: "object", properties: { y: { type: "string" }, b: { type: "string" } } },
  },
  required: ["z"],
};
const WRITTEN = ["z", "a", "mm"];

const propertyOrder = (schema: unknown) =>
  Object.keys((schema as { properties: Record<string, unknown> }).properties);

describe.each(databaseBackends)("a dataset schema's key order on $name PostgreSQL", (backend) => {
  const { db, cache } = useTestServices(backend);
  let analyst: Principal;

  beforeAll(async () => {
    analyst = (await createTestUser(db(), "admin")).principal;
  });

  const create = (schema: Record<string, unknown>) =>
    createDataset({
      db: db(),
      cache: cache(),
      principal: analyst,
      name: `order_${randomUUID().slice(0, 8)}`,
      schema,
    });

  it("reads back properties z, a, mm in that order, however the dataset is read", async () => {
    const created = await create(SCHEMA);
    expect(propertyOrder(created.schema)).toEqual(WRITTEN);

    const got = await getDataset({ db: db(), principal: analyst, datasetRef: created.name });
    expect(propertyOrder(got.schema)).toEqual(WRITTEN);
    // Nested objects and the schema's own keywords keep their order too: the text is as sent.
    expect(JSON.stringify(got.schema)).toBe(JSON.stringify(SCHEMA));

    const listed = await listDatasets({ db: db(), principal: analyst, ids: [created.id] });
    expect(propertyOrder(listed[0]?.schema)).toEqual(WRITTEN);
    expect(propertyOrder((await findDataset(db(), created.id)).jsonSchema)).toEqual(WRITTEN);

    // The record path reads the schema in its own SQL: on the pool, and in a transaction.
    const record = await db().prisma.record.create({
      data: { datasetId: created.id, ownerId: analyst.userId, payload: { z: "x" } },
    });
    const pooled = await selectRecordWithDataset(db(), record.id);
    expect(propertyOrder(pooled?.datasetJsonSchema)).toEqual(WRITTEN);
    const inTransaction = await db().prisma.$transaction((tx) =>
      selectRecordWithDataset({ prisma: tx }, record.id),
    );
    expect(propertyOrder(inTransaction?.datasetJsonSchema)).toEqual(WRITTEN);
  });

  it("stores a schema whose only change is the order of its properties", async () => {
    const created = await create(SCHEMA);
    const reordered = {
      ...SCHEMA,
      properties: { mm: SCHEMA.properties.mm, z: SCHEMA.properties.z, a: SCHEMA.properties.a },
    };
    const updated = await updateDataset({
      db: db(),
      cache: cache(),
      principal: analyst,
      datasetRef: created.id,
      schema: reordered,
    });
    expect(propertyOrder(updated.schema)).toEqual(["mm", "z", "a"]);
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
    const got = await getDataset({ db: db(), principal: analyst, datasetRef: created.id });
    expect(propertyOrder(got.schema)).toEqual(["mm", "z", "a"]);

    // The same schema in the same order is still a change to nothing.
    const same = await updateDataset({
      db: db(),
      cache: cache(),
      principal: analyst,
      datasetRef: created.id,
      schema: reordered,
    });
    expect(same.updated_at).toBe(updated.updated_at);
  });
});
