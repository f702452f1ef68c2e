import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { startImportWorkers, stopImportWorkers } from "./run/import-workers";
import { useImportTestServer } from "../doors/tus/testing/tus-test-server";
import { tusUpload } from "../doors/tus/testing/tus-upload";

const ROWS = 100_000;

/** `name,score` / `n0,0` …: ~13 bytes a row, so a 1 MB read of the file held ~80,000 of them. */
function twoShortColumns(rows: number): string {
  const lines = ["name,score"];
  for (let i = 0; i < rows; i++) lines.push(`n${i},${i % 100}`);
  return lines.join("\n") + "\n";
}

/**
 * Files of many tiny rows, through the real path (tus, the job, the source thread with its capped
 * heap), with the production batch sizes. Each plain CSV of 100,000 two-column rows used to fail
 * with "The file's rows did not fit the import's memory": the parser turned each 1 MB read of the
 * file into rows all at once (~36 MB of them), over the source thread's 48 MB heap.
 */
describe.each(databaseBackends)("imports of many short rows on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, cache } = useTestServices(backend, redisUrl);
  const server = useImportTestServer();
  let key = "";
  let userId = "";

  beforeAll(async () => {
    await startImportWorkers({ db: db(), cache: cache(), sweepIntervalMs: 3_600_000 });
    const writer = await createTestKey(db(), "admin", ["read", "write"]);
    key = writer.key;
    userId = writer.principal.userId;
  });
  afterAll(() => stopImportWorkers());

  async function importFile(data: Buffer, schema: object | null, filename: string) {
    const dataset = await db().prisma.dataset.create({
      data: { name: `ds-${randomUUID()}`, ownerId: userId, jsonSchema: schema as never },
    });
    const { url } = await tusUpload({
      endpoint: server.endpoint(),
      key,
      data,
      metadata: { dataset: dataset.name, filename },
    });
    const uploadId = url.split("/").pop()!;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const job = await db().prisma.importJob.findUniqueOrThrow({ where: { uploadId } });
      if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function loaded(importId: string) {
    const { rows } = await db().pool.query<{ count: string; sum: string; last: unknown }>(
      `select count(*)::text as count, sum((payload->>'score')::int)::text as sum,
              (select payload from records where import_id = $1 order by import_line desc limit 1) as last
         from records where import_id = $1`,
      [importId],
    );
    return rows[0]!;
  }

  // 0 + 1 + … + 99, a thousand times over.
  const SCORE_SUM = String((ROWS / 100) * 4950);

  it("loads a plain CSV of 100,000 two-column rows, with and without a schema", async () => {
    const csv = Buffer.from(twoShortColumns(ROWS));
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, score: { type: "integer" } },
      required: ["name", "score"],
    };
    for (const jsonSchema of [null, schema]) {
      const job = await importFile(csv, jsonSchema, "scores.csv");
      expect(job).toMatchObject({ status: "succeeded", error: null, rowsLoaded: BigInt(ROWS) });
      expect(await loaded(job.id)).toEqual({
        count: String(ROWS),
        sum: SCORE_SUM,
        last: { name: `n${ROWS - 1}`, score: (ROWS - 1) % 100 },
      });
    }
  }, 180_000);
});
