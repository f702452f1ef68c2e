import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { useImportTestServer } from "../doors/tus/testing/tus-test-server";
import { tusUpload } from "../doors/tus/testing/tus-upload";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey } from "../testing/identity-fixtures";
import { reportRecovery } from "../testing/recovery";
import { useTestServicesBehindProxy } from "../testing/test-services-behind-proxy";
import { type ImportHooks } from "./run/import-run";
import { startImportWorkers, stopImportWorkers } from "./run/import-workers";

const server = databaseBackends.find((backend) => backend.url);
const redisUrl = redisBackends.find((backend) => backend.url)?.url;

const ROWS = 400;
const csv = ["id,name", ...Array.from({ length: ROWS }, (_, i) => `${i + 1},row ${i + 1}`)].join(
  "\n",
);
const SCHEMA = {
  type: "object",
  properties: { id: { type: "integer" }, name: { type: "string" } },
  required: ["id", "name"],
};

// A real server only: the embedded database runs inside the process and cannot go away alone.
describe.runIf(server)("an import in flight while PostgreSQL goes away", () => {
  const { db, cache, proxy } = useTestServicesBehindProxy(server?.url, redisUrl);
  const tus = useImportTestServer();
  const hooks: ImportHooks = {};
  let key = "";
  let ownerId = "";

  beforeAll(async () => {
    await startImportWorkers({
      db: db(),
      cache: cache(),
      config: { transformBatch: 40, loadBatch: 25, workers: 0 },
      sweepIntervalMs: 3_600_000,
      hooks,
    });
    const writer = await createTestKey(db(), "admin", ["read", "write"]);
    key = writer.key;
    ownerId = writer.principal.userId;
  });
  afterAll(() => stopImportWorkers());

  async function importWithOutage(outageMs: number) {
    const dataset = await db().prisma.dataset.create({
      data: { name: `outage-${randomUUID()}`, ownerId, jsonSchema: SCHEMA },
    });
    let cutAt = 0;
    let restoredAt = 0;
    // Cut mid-load, after the third load transaction has committed: the next ones cannot.
    hooks.afterLoadBatch = ({ batch, attempt }) => {
      if (attempt !== 1 || batch !== 3 || cutAt) return;
      proxy().cut();
      cutAt = performance.now();
      setTimeout(() => {
        proxy().restore();
        restoredAt = performance.now();
      }, outageMs);
    };
    try {
      const { url } = await tusUpload({
        endpoint: tus.endpoint(),
        key,
        data: Buffer.from(csv),
        metadata: { dataset: dataset.name },
      });
      const uploadId = url.split("/").pop()!;
      const deadline = Date.now() + 25_000;
      for (;;) {
        const job = await db()
          .prisma.importJob.findUnique({ where: { uploadId } })
          .catch(() => undefined);
        if (job && ["succeeded", "failed", "cancelled"].includes(job.status)) {
          return { job, dataset, cutAt, restoredAt, settledAt: performance.now() };
        }
        if (Date.now() > deadline) throw new Error(`the import is still ${job?.status}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      hooks.afterLoadBatch = undefined;
    }
  }

  async function storedIds(datasetId: string) {
    const rows = await db().prisma.record.findMany({
      where: { datasetId },
      select: { payload: true },
    });
    return rows.map((row) => (row.payload as { id: number }).id);
  }

  it.each([
    { name: "postgres-import", outageMs: 2_000 },
    // Longer than the queue's retries (1 s, then 2 s): the run waits for PostgreSQL instead of
    // spending its attempts on an outage that is not the import's fault.
    { name: "postgres-import-long-outage", outageMs: 6_000 },
  ])(
    "resumes by itself once PostgreSQL is back and loads each row exactly once ($name)",
    async ({ name, outageMs }) => {
      const { job, dataset, cutAt, restoredAt, settledAt } = await importWithOutage(outageMs);
      expect(cutAt).toBeGreaterThan(0);
      expect(job).toMatchObject({ status: "succeeded", rowsLoaded: BigInt(ROWS) });
      expect(job.attempts).toBeGreaterThan(1);
      const ids = await storedIds(dataset.id);
      const lost = ROWS - new Set(ids).size;
      const duplicated = ids.length - new Set(ids).size;
      reportRecovery(name, settledAt - restoredAt, { lost, duplicated });
      expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    },
  );
});
