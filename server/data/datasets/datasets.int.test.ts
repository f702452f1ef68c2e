import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { loadPrincipal } from "../../auth/load-principal";
import { type Principal } from "../../auth/principal";
import { AppError } from "../../errors/app-error";
import { databaseBackends } from "../../testing/backends";
import { createTestUser } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { createDataset } from "./create-dataset";
import { deleteDataset } from "./delete-dataset";
import { getDataset } from "./get-dataset";
import { listDatasets } from "./list-datasets";
import { validatePayload } from "./payload-validator";
import { updateDataset } from "./update-dataset";
import { rejection } from "../../testing/rejection";

describe.each(databaseBackends)("datasets on $name PostgreSQL", (backend) => {
  const { db, cache } = useTestServices(backend);
  let admin: Principal;
  let reader: Principal;
  /** Two non-admin users who may read, write and delete: owners of their own datasets. */
  let alice: Principal;
  let bob: Principal;

  beforeAll(async () => {
    admin = (await createTestUser(db(), "admin")).principal;
    reader = (await createTestUser(db(), "reader")).principal;
    const role = await db().prisma.role.create({
      data: {
        name: `editor-${randomUUID().slice(0, 8)}`,
        permissions: ["read", "write", "delete"],
      },
    });
    const editor = async () => {
      const user = await db().prisma.user.create({
        data: {
          email: `editor-${randomUUID()}@lake.test`,
          passwordHash: "unused",
          roles: { create: { roleId: role.id } },
        },
      });
      return loadPrincipal({ db: db(), userId: user.id, via: "session" });
    };
    alice = await editor();
    bob = await editor();
  });

  const uniqueName = () => `ds_${randomUUID().slice(0, 8)}`;
  const auditOf = (resourceId: string) =>
    db().prisma.auditLog.findMany({ where: { resourceId }, orderBy: { id: "asc" } });
  const addRecord = (datasetId: string, owner: Principal, archived = false) =>
    db().prisma.record.create({
      data: { datasetId, ownerId: owner.userId, payload: { n: 1 }, archived },
    });

  it("creates a dataset owned by its creator, and audits it", async () => {
    const name = uniqueName();
    const dataset = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name,
      description: "  Orders from the shop. ",
      ip: "198.51.100.7",
      requestId: "req-1",
    });
    expect(dataset).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      name,
      description: "Orders from the shop.",
      policy: "user_data",
      schema: null,
      owner_id: alice.userId,
      payload_index: "off",
      record_count: 0,
      created_at: expect.any(String) as string,
      updated_at: expect.any(String) as string,
    });
    const [audit, ...more] = await auditOf(dataset.id);
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      actorId: alice.userId,
      action: "dataset.create",
      resourceType: "dataset",
      ip: "198.51.100.7",
      requestId: "req-1",
      summary: { after: { name, policy: "user_data", schema: null, ownerId: alice.userId } },
    });
  });

  it("stores a schema and a policy when given", async () => {
    const schema = { type: "object", properties: { amount: { type: "number" } } };
    const dataset = await createDataset({
      db: db(),
      cache: cache(),
      principal: admin,
      name: uniqueName(),
      policy: "analytics",
      schema,
    });
    expect(dataset).toMatchObject({ policy: "analytics", schema, owner_id: admin.userId });
  });

  it("refuses a reader (no write permission), writing nothing", async () => {
    const name = uniqueName();
    const audits = await db().prisma.auditLog.count();
    const error = await rejection(
      createDataset({ db: db(), cache: cache(), principal: reader, name }),
    );
    expect(error.code).toBe("forbidden");
    expect(error.status).toBe(403);
    expect(await db().prisma.dataset.count({ where: { name } })).toBe(0);
    expect(await db().prisma.auditLog.count()).toBe(audits);
  });

  it("answers a taken name with a conflict, whoever took it", async () => {
    const name = uniqueName();
    await createDataset({ db: db(), cache: cache(), principal: alice, name });
    const error = await rejection(
      createDataset({ db: db(), cache: cache(), principal: bob, name }),
    );
    expect(error.code).toBe("conflict");
    expect(error.details).toEqual({ name });
    expect(await db().prisma.dataset.count({ where: { name } })).toBe(1);
  });

  it("validates names, descriptions and schemas", async () => {
    for (const name of ["Orders", "1orders", "o", "has space", "a/b", `a${"b".repeat(63)}`]) {
      const error = await rejection(
        createDataset({ db: db(), cache: cache(), principal: alice, name }),
      );
      expect(error.code).toBe("validation_failed");
    }
    const long = await rejection(
      createDataset({
        db: db(),
        cache: cache(),
        principal: alice,
        name: uniqueName(),
        description: "x".repeat(501),
      }),
    );
    expect(long.code).toBe("validation_failed");

    const name = uniqueName();
    const invalid = await rejection(
      createDataset({
        db: db(),
        cache: cache(),
        principal: alice,
        name,
        schema: { type: "object", properties: { amount: { type: "money" } } },
      }),
    );
    expect(invalid.code).toBe("bad_request");
    expect(invalid.status).toBe(400);
    expect(invalid.details).toEqual({
      errors: expect.arrayContaining([
        expect.objectContaining({ path: "/properties/amount/type" }),
      ]) as unknown,
    });
    const notAnObject = await rejection(
      createDataset({
        db: db(),
        cache: cache(),
        principal: alice,
        name,
        schema: { type: "string" },
      }),
    );
    expect(notAnObject.code).toBe("bad_request");
    const huge = await rejection(
      createDataset({
        db: db(),
        cache: cache(),
        principal: alice,
        name,
        schema: { type: "object", description: "x".repeat(70_000) },
      }),
    );
    expect(huge.code).toBe("validation_failed");
    expect(await db().prisma.dataset.count({ where: { name } })).toBe(0);
  });

  it("lists every dataset to readers, counting the non-archived records each may see", async () => {
    const shared = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
      policy: "analytics",
    });
    const private_ = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
    });
    const empty = await createDataset({
      db: db(),
      cache: cache(),
      principal: bob,
      name: uniqueName(),
    });
    for (const dataset of [shared, private_]) {
      await addRecord(dataset.id, alice);
      await addRecord(dataset.id, alice);
      await addRecord(dataset.id, bob);
      await addRecord(dataset.id, alice, true);
    }

    const countsFor = async (principal: Principal) => {
      const datasets = await listDatasets({ db: db(), principal });
      const names = datasets.map((dataset) => dataset.name);
      expect(names).toEqual([...names].sort());
      const byId = new Map(datasets.map((dataset) => [dataset.id, dataset.record_count]));
      return [byId.get(shared.id), byId.get(private_.id), byId.get(empty.id)];
    };
    // analytics: everyone sees all 3; user_data: owners see their own, admins all.
    expect(await countsFor(alice)).toEqual([3, 2, 0]);
    expect(await countsFor(bob)).toEqual([3, 1, 0]);
    expect(await countsFor(reader)).toEqual([3, 0, 0]);
    expect(await countsFor(admin)).toEqual([3, 3, 0]);

    const noRead: Principal = { ...alice, permissions: new Set(["write"]), via: "api_key" };
    expect((await rejection(listDatasets({ db: db(), principal: noRead }))).code).toBe("forbidden");
  });

  it("gets a dataset by id or by name, and 404s for neither", async () => {
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
    });
    await addRecord(created.id, alice);
    const byId = await getDataset({ db: db(), principal: reader, datasetRef: created.id });
    const byName = await getDataset({ db: db(), principal: reader, datasetRef: created.name });
    expect(byId).toEqual({ ...created, record_count: 0 });
    expect(byName).toEqual(byId);
    expect(
      (await getDataset({ db: db(), principal: alice, datasetRef: created.name })).record_count,
    ).toBe(1);

    for (const datasetRef of [randomUUID(), "no_such_dataset"]) {
      const error = await rejection(getDataset({ db: db(), principal: reader, datasetRef }));
      expect(error.code).toBe("not_found");
    }
  });

  it("lets the owner update description, policy and schema, auditing before and after", async () => {
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
      description: "old",
    });
    const schema = { type: "object", required: ["amount"] };
    const updated = await updateDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      datasetRef: created.name,
      description: "new",
      policy: "analytics",
      schema,
    });
    expect(updated).toMatchObject({ name: created.name, description: "new", policy: "analytics" });
    expect(updated.schema).toEqual(schema);
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));

    const audits = await auditOf(created.id);
    expect(audits.map((audit) => audit.action)).toEqual(["dataset.create", "dataset.update"]);
    expect(audits[1]?.summary).toMatchObject({
      before: { description: "old", policy: "user_data", schema: null },
      after: { description: "new", policy: "analytics", schema },
    });

    // Omitted fields stay; null removes the schema; "" clears the description.
    const cleared = await updateDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      datasetRef: created.id,
      schema: null,
      description: "",
    });
    expect(cleared).toMatchObject({ description: null, policy: "analytics", schema: null });
    expect(
      (await db().prisma.dataset.findUniqueOrThrow({ where: { id: created.id } })).jsonSchema,
    ).toBeNull();

    // A change to nothing writes nothing.
    const count = (await auditOf(created.id)).length;
    const same = await updateDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      datasetRef: created.id,
      policy: "analytics",
    });
    expect(same.updated_at).toBe(cleared.updated_at);
    expect((await auditOf(created.id)).length).toBe(count);
  });

  it("does not re-validate existing records when the schema changes", async () => {
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
    });
    const record = await addRecord(created.id, alice);
    await updateDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      datasetRef: created.id,
      schema: { type: "object", required: ["amount"] },
    });
    expect(await db().prisma.record.findUnique({ where: { id: record.id } })).not.toBeNull();
  });

  it("refuses updates from non-owners (403, not 404) and readers, but not admins", async () => {
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
    });
    const byBob = await rejection(
      updateDataset({
        db: db(),
        cache: cache(),
        principal: bob,
        datasetRef: created.id,
        description: "mine",
      }),
    );
    expect(byBob.code).toBe("forbidden");
    const byReader = await rejection(
      updateDataset({
        db: db(),
        cache: cache(),
        principal: reader,
        datasetRef: created.id,
        description: "mine",
      }),
    );
    expect(byReader.code).toBe("forbidden");

    const byAdmin = await updateDataset({
      db: db(),
      cache: cache(),
      principal: admin,
      datasetRef: created.id,
      description: "curated",
    });
    expect(byAdmin).toMatchObject({ description: "curated", owner_id: alice.userId });
    expect((await auditOf(created.id)).at(-1)).toMatchObject({
      actorId: admin.userId,
      action: "dataset.update",
    });

    const missing = await rejection(
      updateDataset({
        db: db(),
        cache: cache(),
        principal: admin,
        datasetRef: "no_such_dataset",
        policy: "analytics",
      }),
    );
    expect(missing.code).toBe("not_found");
  });

  it("refuses an invalid schema on update, keeping the old one", async () => {
    const schema = { type: "object" };
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
      schema,
    });
    const error = await rejection(
      updateDataset({
        db: db(),
        cache: cache(),
        principal: alice,
        datasetRef: created.id,
        schema: { type: "object", properties: { a: { minimum: "zero" } } },
      }),
    );
    expect(error.code).toBe("bad_request");
    expect(
      (await getDataset({ db: db(), principal: alice, datasetRef: created.id })).schema,
    ).toEqual(schema);
  });

  it("validates payloads against the current schema: the cached validator follows changes", async () => {
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
      schema: { type: "object", properties: { amount: { type: "number" } } },
    });
    const load = () => db().prisma.dataset.findUniqueOrThrow({ where: { id: created.id } });
    const payload = { amount: 3, note: "hi" };
    validatePayload(await load(), payload);

    // Two updates in a row (possibly within one millisecond) each give the schema a new version.
    await updateDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      datasetRef: created.id,
      schema: { type: "object", required: ["currency"] },
    });
    await updateDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      datasetRef: created.id,
      schema: { type: "object", additionalProperties: false, properties: { amount: {} } },
    });
    let error: unknown;
    try {
      validatePayload(await load(), payload);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details).toEqual([
      expect.objectContaining({ path: "/note", keyword: "additionalProperties" }),
    ]);

    await updateDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      datasetRef: created.id,
      schema: null,
    });
    validatePayload(await load(), payload);
  });

  it("deletes a dataset with records only when forced, taking the records with it", async () => {
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
    });
    await addRecord(created.id, alice);
    await addRecord(created.id, bob);
    await addRecord(created.id, alice, true);

    const conflict = await rejection(
      deleteDataset({ db: db(), cache: cache(), principal: alice, datasetRef: created.name }),
    );
    expect(conflict.code).toBe("conflict");
    expect(conflict.details).toEqual({ record_count: 3 });
    expect(await db().prisma.record.count({ where: { datasetId: created.id } })).toBe(3);

    // Bob's record is in it: the owner alone may not take it down with the dataset.
    const notYours = await rejection(
      deleteDataset({
        db: db(),
        cache: cache(),
        principal: alice,
        datasetRef: created.name,
        force: true,
      }),
    );
    expect(notYours.code).toBe("forbidden");
    expect(await db().prisma.record.count({ where: { datasetId: created.id } })).toBe(3);

    const deleted = await deleteDataset({
      db: db(),
      cache: cache(),
      principal: admin,
      datasetRef: created.name,
      force: true,
      requestId: "req-delete",
    });
    expect(deleted).toEqual({ id: created.id, name: created.name, deleted_records: 3 });
    expect(await db().prisma.record.count({ where: { datasetId: created.id } })).toBe(0);
    const gone = await rejection(
      getDataset({ db: db(), principal: alice, datasetRef: created.id }),
    );
    expect(gone.code).toBe("not_found");

    expect((await auditOf(created.id)).at(-1)).toMatchObject({
      actorId: admin.userId,
      action: "dataset.delete",
      requestId: "req-delete",
      summary: { forced: true, deletedRecords: 3, before: { name: created.name } },
    });
  });

  it("deletes an empty dataset without force", async () => {
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
    });
    expect(
      await deleteDataset({ db: db(), cache: cache(), principal: alice, datasetRef: created.id }),
    ).toEqual({
      id: created.id,
      name: created.name,
      deleted_records: 0,
    });
    expect(await db().prisma.dataset.count({ where: { id: created.id } })).toBe(0);
  });

  it("refuses deletes from non-owners, readers and keys without delete, but not admins", async () => {
    const created = await createDataset({
      db: db(),
      cache: cache(),
      principal: alice,
      name: uniqueName(),
    });
    await addRecord(created.id, alice);
    const noDelete: Principal = {
      ...alice,
      permissions: new Set(["read", "write"]),
      via: "api_key",
    };
    for (const principal of [bob, reader, noDelete]) {
      const error = await rejection(
        deleteDataset({ db: db(), cache: cache(), principal, datasetRef: created.id, force: true }),
      );
      expect(error.code).toBe("forbidden");
    }
    expect(await db().prisma.dataset.count({ where: { id: created.id } })).toBe(1);
    expect((await auditOf(created.id)).map((audit) => audit.action)).toEqual(["dataset.create"]);

    await deleteDataset({
      db: db(),
      cache: cache(),
      principal: admin,
      datasetRef: created.id,
      force: true,
    });
    expect(await db().prisma.dataset.count({ where: { id: created.id } })).toBe(0);
  });
});
