// The fence between an import's load transactions and the writes that end its run (migration
// 20261205170000_import_load_fence): progress writes pass a batch in flight, a cancel waits for
// it, and a batch that starts behind a waiting cancel sees the cancel. Real server only: the
// embedded database has one session, so nothing there can run beside a batch.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { beforeAll, describe, expect, it } from "vitest";

import { databaseBackends } from "../testing/backends";
import { createTestUser } from "../testing/identity-fixtures";
import { useTestDatabase } from "../testing/test-database";
import { cancelAndDeleteRows } from "./imports.queries";
import { assertStillRunning, type LoadTarget } from "./run/pipeline/load-rows";
import { ImportCancelledError } from "./run/pipeline/import-input-error";

const server = databaseBackends.find((backend) => backend.url);

/** "pending" while the promise has not settled within `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | "pending"> {
  return Promise.race([promise, sleep(ms).then(() => "pending" as const)]);
}

describe.runIf(server)("the import load fence on the server PostgreSQL", () => {
  const db = useTestDatabase(server ?? {});
  let target: LoadTarget;

  beforeAll(async () => {
    const { user } = await createTestUser(db());
    const dataset = await db().prisma.dataset.create({
      data: { name: `fence-${randomUUID()}`, ownerId: user.id },
    });
    const job = await db().prisma.importJob.create({
      data: {
        ownerId: user.id,
        datasetId: dataset.id,
        uploadId: randomUUID(),
        format: "csv",
        status: "running",
        attempts: 1,
      },
    });
    target = { importId: job.id, datasetId: dataset.id, ownerId: user.id, runAttempt: 1 };
  });

  const insertOne = (client: { query: (sql: string, params: unknown[]) => Promise<unknown> }) =>
    client.query(
      `insert into records (id, dataset_id, owner_id, payload, import_id, import_line, updated_at)
       values (gen_random_uuid(), $1, $2, '{}', $3, 1, now())`,
      [target.datasetId, target.ownerId, target.importId],
    );

  it("lets progress pass a batch in flight; a cancel waits for it, and a later batch sees the cancel", async () => {
    const batch = await db().pool.connect();
    const later = await db().pool.connect();
    try {
      await batch.query("begin");
      await assertStillRunning(batch, target);
      await insertOne(batch);

      // The run's own progress and checkpoint writes do not wait for its batches.
      const progress = db().pool.query(
        "update import_jobs set rows_loaded = 1, checkpoint = '{}', updated_at = now() where id = $1",
        [target.importId],
      );
      expect(await within(progress, 2_000)).not.toBe("pending");

      const cancel = cancelAndDeleteRows(db(), target.importId);
      expect(await within(cancel, 300)).toBe("pending");

      await later.query("begin");
      const laterCheck = assertStillRunning(later, target).then(
        () => "loaded" as const,
        (error: unknown) => error,
      );
      expect(await within(laterCheck, 300)).toBe("pending");

      await batch.query("commit");
      expect(await cancel).toBe(1);
      expect(await laterCheck).toBeInstanceOf(ImportCancelledError);
      await later.query("rollback");

      const { rows } = await db().pool.query<{ n: number }>(
        "select count(*)::int as n from records where import_id = $1",
        [target.importId],
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      batch.release();
      later.release();
    }
  });
});
