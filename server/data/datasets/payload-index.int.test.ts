import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { databaseBackends } from "../../testing/backends";
import { createTestUser } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { parseRecordQuery } from "../records/query/parse-record-query";
import { buildRecordQuerySql } from "../records/query/record-query.queries";
import { createDataset } from "./create-dataset";
import { deleteDataset } from "./delete-dataset";
import { getDataset } from "./get-dataset";
import { payloadIndexUpkeepSettled, requestPayloadIndexUpkeep } from "./payload-index-upkeep";
import { payloadIndexName, readPayloadIndexes } from "./payload-index.queries";
import { updateDataset } from "./update-dataset";

describe.each(databaseBackends)("payload indexes on $name PostgreSQL", (backend) => {
  const { db, cache } = useTestServices(backend);
  let admin: Principal;

  beforeAll(async () => {
    admin = (await createTestUser(db(), "admin")).principal;
  });

  const services = () => ({ db: db(), cache: cache(), principal: admin });
  const indexOf = async (datasetId: string) =>
    (await readPayloadIndexes(db())).find((index) => index.datasetId === datasetId);
  const status = async (datasetId: string) =>
    (await getDataset({ ...services(), datasetRef: datasetId })).payload_index;

  /** 2000 records with distinct payloads, so a selective `cs` is worth an index to the planner. */
  async function fill(datasetId: string) {
    await db().pool.query(
      `insert into records (id, dataset_id, owner_id, payload, created_at, updated_at)
       select gen_random_uuid(), $1::uuid, $2::uuid, jsonb_build_object('k', n, 'tag', 'x'), now(), now()
         from generate_series(1, 2000) as n`,
      [datasetId, admin.userId],
    );
    await db().pool.query("analyze records");
  }

  /** The plan of the data API's own query for `payload.k=cs.7` in the dataset. */
  async function planOf(datasetId: string): Promise<string> {
    const query = parseRecordQuery(new URLSearchParams({ "payload.k": "cs.7" }));
    const sql = buildRecordQuerySql(query, { datasetId });
    const { rows } = await db().pool.query<{ "QUERY PLAN": unknown }>(
      `explain (format json) ${sql.text}`,
      sql.values,
    );
    return JSON.stringify(rows[0]!["QUERY PLAN"]);
  }

  it("is off unless asked for, and `cs` then reads the dataset's records", async () => {
    const dataset = await createDataset({ ...services(), name: `pi_${randomUUID().slice(0, 8)}` });
    expect(dataset.payload_index).toBe("off");
    await fill(dataset.id);
    await payloadIndexUpkeepSettled();
    expect(await indexOf(dataset.id)).toBeUndefined();
    expect(await planOf(dataset.id)).not.toContain("records_payload_");
  });

  it("builds the index in the background, says when it is ready, and `cs` uses it", async () => {
    const dataset = await createDataset({
      ...services(),
      name: `pi_${randomUUID().slice(0, 8)}`,
      payloadIndex: true,
    });
    expect(dataset.payload_index).toBe("building");
    await payloadIndexUpkeepSettled();
    expect(await status(dataset.id)).toBe("ready");
    expect(await indexOf(dataset.id)).toMatchObject({
      name: payloadIndexName(dataset.id),
      valid: true,
    });

    await fill(dataset.id);
    expect(await planOf(dataset.id)).toContain(payloadIndexName(dataset.id));
    // The partial index is this dataset's alone: another dataset's `cs` cannot use it.
    const other = await createDataset({ ...services(), name: `pi_${randomUUID().slice(0, 8)}` });
    await fill(other.id);
    expect(await planOf(other.id)).not.toContain("records_payload_");
  });

  it("drops the index when turned off, or when the dataset goes", async () => {
    const dataset = await createDataset({
      ...services(),
      name: `pi_${randomUUID().slice(0, 8)}`,
      payloadIndex: true,
    });
    await payloadIndexUpkeepSettled();
    expect(await indexOf(dataset.id)).toBeDefined();

    const off = await updateDataset({ ...services(), datasetRef: dataset.id, payloadIndex: false });
    expect(off.payload_index).toBe("off");
    await payloadIndexUpkeepSettled();
    expect(await indexOf(dataset.id)).toBeUndefined();

    const on = await updateDataset({ ...services(), datasetRef: dataset.id, payloadIndex: true });
    expect(on.payload_index).toBe("building");
    await payloadIndexUpkeepSettled();
    expect(await status(dataset.id)).toBe("ready");

    await deleteDataset({ ...services(), datasetRef: dataset.id });
    await payloadIndexUpkeepSettled();
    expect(await indexOf(dataset.id)).toBeUndefined();
  });

  it("replaces an index a failed build left invalid", async () => {
    const dataset = await createDataset({
      ...services(),
      name: `pi_${randomUUID().slice(0, 8)}`,
      payloadIndex: true,
    });
    await payloadIndexUpkeepSettled();
    // What an interrupted CREATE INDEX CONCURRENTLY leaves behind.
    await db().pool.query(
      `update pg_index set indisvalid = false where indexrelid = $1::regclass`,
      [payloadIndexName(dataset.id)],
    );
    expect(await indexOf(dataset.id)).toMatchObject({ valid: false, building: false });

    await requestPayloadIndexUpkeep({ db: db(), cache: cache() });
    expect(await indexOf(dataset.id)).toMatchObject({ valid: true });
    expect(await status(dataset.id)).toBe("ready");
  });

  it("rebuilds an index that went missing, and drops one no dataset asks for", async () => {
    const dataset = await createDataset({
      ...services(),
      name: `pi_${randomUUID().slice(0, 8)}`,
      payloadIndex: true,
    });
    await payloadIndexUpkeepSettled();
    await db().pool.query(`drop index ${payloadIndexName(dataset.id)}`);
    // An index of a dataset that never asked for one (left by a crash between the two).
    const stray = await createDataset({ ...services(), name: `pi_${randomUUID().slice(0, 8)}` });
    await db().pool.query(
      `create index ${payloadIndexName(stray.id)} on records using gin (payload jsonb_path_ops)
        where dataset_id = '${stray.id}'::uuid`,
    );

    await requestPayloadIndexUpkeep({ db: db(), cache: cache() });
    expect(await indexOf(dataset.id)).toMatchObject({ valid: true });
    expect(await status(dataset.id)).toBe("ready");
    expect(await indexOf(stray.id)).toBeUndefined();
  });
});
