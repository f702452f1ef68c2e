// The disk filling up mid-import, for real: this test database's `records` table sits on a 16 MB
// tmpfs that the import's rows outgrow. Needs root (mount) and a PostgreSQL on this machine (it
// writes there).
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { useImportTestServer } from "../doors/tus/testing/tus-test-server";
import { tusUpload } from "../doors/tus/testing/tus-upload";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { isRetryable } from "./jobs/retry-advice";
import { importConfig } from "./run/import-config";
import { runImportJob } from "./run/run-import-job";
import { isUploadComplete } from "./uploads/upload-store";

const server = databaseBackends.find((backend) => backend.name === "server");
const local = server?.url
  ? ["127.0.0.1", "localhost"].includes(new URL(server.url).hostname)
  : false;
const root = process.getuid?.() === 0;

/** Whether this machine lets us mount a tmpfs (root is not enough inside some containers). */
function canMountTmpfs(): boolean {
  if (!root) return false;
  const probe = mkdtempSync(path.join(tmpdir(), "lake-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

describe.runIf(server && local && canMountTmpfs())(
  "an import that fills the database's disk",
  () => {
    const { db, cache } = useTestServices(server!, redisBackends.find((r) => r.url)?.url);
    const uploads = useImportTestServer();
    const tablespace = `lake_test_full_${process.pid}`;
    const mountPoint = mkdtempSync(path.join(tmpdir(), "lake-full-disk-"));

    beforeAll(async () => {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", mountPoint]);
      execFileSync("chown", ["postgres:postgres", mountPoint]);
      await db().pool.query(`create tablespace ${tablespace} location '${mountPoint}'`);
      // The database is this file's own: its records table may move.
      await db().pool.query(`alter table records set tablespace ${tablespace}`);
    });
    afterAll(async () => {
      await db()
        .pool.query("alter table records set tablespace pg_default")
        .catch(() => undefined);
      await db()
        .pool.query(`drop tablespace if exists ${tablespace}`)
        .catch(() => undefined);
      execFileSync("umount", [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    });

    it("fails with a clear reason, removes the rows it wrote and keeps the file for a retry", async () => {
      const { key, principal } = await createTestKey(db(), "admin", ["read", "write"]);
      const dataset = await db().prisma.dataset.create({
        data: {
          name: `ds-${randomUUID()}`,
          ownerId: principal.userId,
          jsonSchema: { type: "object", properties: { id: { type: "integer" } } },
        },
      });
      // ~300,000 rows of ~100 bytes: about twice the tablespace's 16 MB.
      const rows = Array.from(
        { length: 300_000 },
        (_, i) => `${i + 1},"a note of some length ${i}"`,
      );
      const { url } = await tusUpload({
        endpoint: uploads.endpoint(),
        key,
        data: Buffer.from(["id,note", ...rows].join("\n")),
        metadata: { dataset: dataset.name, filename: "notes.csv" },
      });
      const job = await db().prisma.importJob.findUniqueOrThrow({
        where: { uploadId: url.split("/").pop()! },
      });

      const outcome = await runImportJob({
        db: db(),
        cache: cache(),
        jobId: job.id,
        attempt: 1,
        config: importConfig({ workers: 1 }),
      });

      expect(outcome).toBe("failed");
      const failed = await db().prisma.importJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatch(/ran out of disk space/);
      expect(isRetryable(failed)).toBe(true);
      expect(await db().prisma.record.count({ where: { importId: job.id } })).toBe(0);
      const held = await db().pool.query("select 1 from import_loads where import_id = $1", [
        job.id,
      ]);
      expect(held.rowCount).toBe(0);
      expect(await isUploadComplete(job.uploadId)).toBe(true);
    }, 120_000);
  },
);
