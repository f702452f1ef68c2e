import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as getRecord } from "../doors/rest/routes/data-record";
import { GET as listRecords } from "../doors/rest/routes/data";
import { GET as getDataset } from "../doors/rest/routes/dataset";
import { POST as cancel } from "../doors/rest/routes/import-job-cancel";
import { useImportTestServer } from "../doors/tus/testing/tus-test-server";
import { tusUpload } from "../doors/tus/testing/tus-upload";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { holdBackImportedRows } from "./imports.queries";
import { type ImportHooks } from "./run/import-run";
import { ImportCancelledError } from "./run/pipeline/import-input-error";
import { startImportWorkers, stopImportWorkers } from "./run/import-workers";

// An import is published whole (docs/decisions/0020-atomic-imports.md): while its rows move into
// `records`, in many transactions, no reader sees any of them; the job's success shows them all
// at once, and a cancel or failure removes them without their ever having been shown.

type Json = Record<string, unknown>;
const ROWS = 100;
const LOAD_BATCH = 25;
const idParams = (id: string) => ({ params: Promise.resolve({ id }) });
const api = (method: string, path: string, key: string) =>
  new Request(`http://lake.test${path}`, { method, headers: { "x-api-key": key } });
const csv = (rows: number) =>
  ["id,name", ...Array.from({ length: rows }, (_, i) => `${i + 1},name ${i + 1}`)].join("\n");

describe.each(databaseBackends)("an import's publication on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, cache } = useTestServices(backend, redisUrl);
  const server = useImportTestServer();
  const hooks: ImportHooks = {};
  let key = "";
  let userId = "";

  beforeAll(async () => {
    await startImportWorkers({
      db: db(),
      cache: cache(),
      config: { transformBatch: 40, loadBatch: LOAD_BATCH, workers: 2 },
      sweepIntervalMs: 3_600_000,
      hooks,
    });
    const admin = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    key = admin.key;
    userId = admin.principal.userId;
  });
  afterAll(() => stopImportWorkers());

  async function dataset() {
    return db().prisma.dataset.create({
      data: {
        name: `ds-${randomUUID()}`,
        ownerId: userId,
        jsonSchema: {
          type: "object",
          properties: { id: { type: "integer" }, name: { type: "string" } },
          required: ["id", "name"],
        },
      },
    });
  }

  async function settled(url: string) {
    const uploadId = url.split("/").pop()!;
    const deadline = Date.now() + 25_000;
    for (;;) {
      const job = await db().prisma.importJob.findUniqueOrThrow({ where: { uploadId } });
      if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const upload = async (datasetName: string) =>
    (
      await tusUpload({
        endpoint: server.endpoint(),
        key,
        data: Buffer.from(csv(ROWS)),
        metadata: { dataset: datasetName },
      })
    ).url;

  /** The import's rows as they are in the table, whoever may see them. */
  const storedIds = async (importId: string) =>
    (
      await db().pool.query<{ id: string }>(
        "select id from records where import_id = $1 order by import_line",
        [importId],
      )
    ).rows.map((row) => row.id);

  const held = async (importId: string) =>
    (await db().pool.query("select 1 from import_loads where import_id = $1", [importId])).rowCount;

  /** What the data API shows of a dataset: its page, its exact count and its record count. */
  async function shown(datasetName: string, recordId?: string) {
    const page = await listRecords(
      api("GET", `/api/v1/lake/data?dataset=${datasetName}&limit=${ROWS}&count=exact`, key),
    );
    expect(page.status).toBe(200);
    const { items, total } = (await page.json()) as { items: Json[]; total: number };
    const described = (await (
      await getDataset(
        api("GET", `/api/v1/lake/datasets/${datasetName}`, key),
        idParams(datasetName),
      )
    ).json()) as { record_count: number };
    const byId = recordId
      ? (await getRecord(api("GET", `/api/v1/lake/data/${recordId}`, key), idParams(recordId)))
          .status
      : undefined;
    return { listed: items.length, total, recordCount: described.record_count, byId };
  }

  it("shows none of an import's rows while they load, then all of them with its success", async () => {
    const ds = await dataset();
    let during: { stored: number; held: number | null; shown: Awaited<ReturnType<typeof shown>> };
    hooks.afterLoadBatch = async ({ jobId, batch }) => {
      if (batch !== 2) return;
      const ids = await storedIds(jobId);
      during = { stored: ids.length, held: await held(jobId), shown: await shown(ds.name, ids[0]) };
    };
    try {
      const job = await settled(await upload(ds.name));
      expect(job.status).toBe("succeeded");
      // Half-way through, half the rows were in the table and none was shown, by any reader.
      expect(during!.stored).toBeGreaterThanOrEqual(2 * LOAD_BATCH);
      expect(during!.held).toBe(1);
      expect(during!.shown).toEqual({ listed: 0, total: 0, recordCount: 0, byId: 404 });

      const ids = await storedIds(job.id);
      expect(ids).toHaveLength(ROWS);
      expect(await held(job.id)).toBe(0);
      expect(await shown(ds.name, ids[0])).toEqual({
        listed: ROWS,
        total: ROWS,
        recordCount: ROWS,
        byId: 200,
      });
    } finally {
      hooks.afterLoadBatch = undefined;
    }
  });

  it("never shows the rows of an import cancelled while they load", async () => {
    const ds = await dataset();
    let shownBeforeCancel: Awaited<ReturnType<typeof shown>> | undefined;
    hooks.afterLoadBatch = async ({ jobId, batch }) => {
      if (batch !== 2) return;
      shownBeforeCancel = await shown(ds.name);
      const response = await cancel(
        api("POST", `/api/v1/lake/import/jobs/${jobId}/cancel`, key),
        idParams(jobId),
      );
      expect(response.status).toBe(200);
    };
    try {
      const job = await settled(await upload(ds.name));
      expect(job.status).toBe("cancelled");
      expect(shownBeforeCancel).toMatchObject({ listed: 0, total: 0, recordCount: 0 });
      expect(await storedIds(job.id)).toEqual([]);
      expect(await held(job.id)).toBe(0);
      expect(await shown(ds.name)).toMatchObject({ listed: 0, total: 0, recordCount: 0 });
    } finally {
      hooks.afterLoadBatch = undefined;
    }
  });

  it("removes the rows of a failed import without their ever having been shown", async () => {
    const ds = await dataset();
    let shownBeforeFailure: Awaited<ReturnType<typeof shown>> | undefined;
    hooks.afterLoadBatch = async ({ jobId, batch }) => {
      if (batch !== 2) return;
      shownBeforeFailure = await shown(ds.name);
      // A stored row that no longer matches what was transformed fails the consistency check.
      await db().pool.query(
        `update records set payload = payload || '{"name": "tampered"}' where import_id = $1 and import_line = 2`,
        [jobId],
      );
    };
    try {
      const job = await settled(await upload(ds.name));
      expect(job.status).toBe("failed");
      expect(job.error).toMatch(/consistency check failed/);
      expect(shownBeforeFailure).toMatchObject({ listed: 0, total: 0, recordCount: 0 });
      expect(await storedIds(job.id)).toEqual([]);
      expect(await held(job.id)).toBe(0);
    } finally {
      hooks.afterLoadBatch = undefined;
    }
  });

  it("never hides a published import again: a superseded run cannot register it", async () => {
    const ds = await dataset();
    const job = await settled(await upload(ds.name));
    expect(job.status).toBe("succeeded");
    // A run that a retry took over, waking after the retry succeeded, with its old attempt.
    const stale = {
      importId: job.id,
      datasetId: ds.id,
      ownerId: userId,
      runAttempt: job.attempts - 1,
    };
    await expect(holdBackImportedRows(db(), stale)).rejects.toBeInstanceOf(ImportCancelledError);
    const ended = { ...stale, runAttempt: job.attempts };
    await expect(holdBackImportedRows(db(), ended)).rejects.toBeInstanceOf(ImportCancelledError);
    expect(await held(job.id)).toBe(0);
    expect(await shown(ds.name)).toMatchObject({ listed: ROWS, total: ROWS });
  });
});
