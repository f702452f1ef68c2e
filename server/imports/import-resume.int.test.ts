// A retried import goes on from its checkpoint: after the validation's time limit (in process, on
// both databases) and after its worker process is killed (a real `npm run worker`, SIGKILL) —
// and every row is still loaded exactly once. A bad last row still stops everything.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createCacheServices, type CacheServices } from "../cache/cache-services";
import { publishedSql } from "../data/records/published-records";
import { setCacheServices } from "../cache/client";
import { setDatabase } from "../db/client";
import { useImportTestServer } from "../doors/tus/testing/tus-test-server";
import { tusUpload } from "../doors/tus/testing/tus-upload";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey } from "../testing/identity-fixtures";
import { useTestDatabase } from "../testing/test-database";
import { useTestServices } from "../testing/test-services";
import { jobWithStages, toJobView } from "./jobs/job-view";
import { readCheckpoint } from "./run/checkpoint";
import { importConfig } from "./run/import-config";
import { type ImportHooks } from "./run/import-run";
import { runImportJob } from "./run/run-import-job";
import { setUploadDirectory } from "./uploads/upload-store";

const SCHEMA = {
  type: "object",
  properties: { id: { type: "integer" }, name: { type: "string" } },
  required: ["id", "name"],
};

/** `count` rows; the ids in `bad` are not integers (rejected, listed in the error report). */
function csv(count: number, bad: number[] = []): string {
  const rows = Array.from({ length: count }, (_, i) =>
    bad.includes(i + 1) ? `x${i + 1},bad` : `${i + 1},"name ${i + 1}"`,
  );
  return ["id,name", ...rows].join("\n") + "\n";
}

type Db = ReturnType<ReturnType<typeof useTestDatabase>>;

/** The rows an import has stored so far, and how many of those any reader sees (decision 0020). */
async function storedRows(db: Db, jobId: string): Promise<{ stored: number; shown: number }> {
  const { rows } = await db.pool.query<{ stored: number; shown: number }>(
    `select count(*)::int as stored, count(*) filter (where ${publishedSql("r")})::int as shown
       from records r where r.import_id = $1`,
    [jobId],
  );
  return rows[0]!;
}

/** Every line loaded once: the stored count, and no line twice. */
async function expectLoadedOnce(db: Db, jobId: string, rows: number) {
  const { rows: found } = await db.pool.query<{ n: number; lines: number }>(
    `select count(*)::int as n, count(distinct import_line)::int as lines from records where import_id = $1`,
    [jobId],
  );
  expect(found[0]).toEqual({ n: rows, lines: rows });
}

/**
 * A dataset with SCHEMA and an upload of `text` into it, queued as a job (this suite's tests run
 * the job themselves, or leave it to worker processes): the job's id.
 */
async function queueImport(
  db: Db,
  endpoint: string,
  text: string,
  metadata: Record<string, string> = {},
): Promise<string> {
  const { key, principal } = await createTestKey(db, "admin", ["read", "write"]);
  const dataset = await db.prisma.dataset.create({
    data: { name: `ds-${randomUUID()}`, ownerId: principal.userId, jsonSchema: SCHEMA },
  });
  const { url } = await tusUpload({
    endpoint,
    key,
    data: Buffer.from(text),
    metadata: { dataset: dataset.name, filename: "people.csv", ...metadata },
  });
  const job = await db.prisma.importJob.findUniqueOrThrow({
    where: { uploadId: url.split("/").pop()! },
  });
  return job.id;
}

describe.each(databaseBackends)("a checkpointed import ($name)", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, cache } = useTestServices(backend, redisUrl);
  const uploads = useImportTestServer();

  it("retried after its time limit, goes on from its checkpoint: later rows only, the report and the rows once", async () => {
    // The CSV parser hands rows on in thousands: checkpoints fall at rows 1,000, 2,000, 3,000.
    const total = 3_500;
    const jobId = await queueImport(db(), uploads.endpoint(), csv(total, [500, 2_500]));
    const config = importConfig({
      transformBatch: 100,
      loadBatch: 250,
      workers: 1,
      validationTimeoutSeconds: 2,
      checkpointEveryMs: 0,
    });
    const validated = new Map<number, number>();
    const hooks: ImportHooks = {
      async afterValidateBatch({ rows, attempt }) {
        validated.set(attempt, (validated.get(attempt) ?? 0) + rows);
        // Attempt 1 stalls past the time limit after 2,000 rows, attempt 2 after 1,000 more.
        if (attempt === 1 && validated.get(1) === 2_000) await sleep(3_500);
        if (attempt === 2 && validated.get(2) === 1_000) await sleep(3_500);
      },
    };
    const run = (attempt: number) =>
      runImportJob({ db: db(), cache: cache(), jobId, attempt, config, hooks });

    await expect(run(1)).rejects.toThrow(/no progress for 2 s/);
    const queued = await db().prisma.importJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(queued.status).toBe("queued");
    expect(queued.error).toMatch(/retrying from the last checkpoint/);
    const checkpoint = readCheckpoint(queued)!;
    expect(checkpoint).toMatchObject({ attempt: 1, loaded: true, complete: false });
    expect(checkpoint.at.line).toBe(2_001);
    expect(checkpoint.rowsValidated).toBe(2_000);
    // The rows up to its checkpoint (and maybe a batch or two past it, loaded ahead by the source
    // thread) wait for the retry in records, shown to no reader.
    const waiting = await storedRows(db(), jobId);
    expect(waiting.stored).toBeGreaterThanOrEqual(1_999);
    expect(waiting.shown).toBe(0);

    // The second run goes on from there, and stalls in turn: the checkpoint is its own now.
    await expect(run(2)).rejects.toThrow(/no progress for 2 s/);
    const again = readCheckpoint(
      await db().prisma.importJob.findUniqueOrThrow({ where: { id: jobId } }),
    )!;
    expect(again).toMatchObject({ attempt: 2, rowsValidated: 3_000, at: { line: 3_001 } });
    expect((await storedRows(db(), jobId)).shown).toBe(0);

    expect(await run(3)).toBe("succeeded");
    // Each retry read the rows after its checkpoint only.
    expect(validated.get(2)).toBe(1_000);
    expect(validated.get(3)).toBe(total - 3_000);
    const job = await db().prisma.importJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({
      status: "succeeded",
      rowsValidated: BigInt(total),
      rowsRejected: 2n,
      rowsLoaded: BigInt(total - 2),
      checkpoint: null,
    });
    const errors = await db().prisma.importRowError.findMany({
      where: { jobId },
      orderBy: { line: "asc" },
    });
    expect(errors.map((error) => Number(error.line))).toEqual([501, 2_501]);
    await expectLoadedOnce(db(), jobId, total - 2);
    expect(await storedRows(db(), jobId)).toEqual({ stored: total - 2, shown: total - 2 });
  }, 60_000);
  it("fails on a malformed last row above the error rate, naming it, with nothing loaded", async () => {
    // Checkpoints are saved along the way; the one bad row is the very last.
    const total = 3_500;
    const jobId = await queueImport(db(), uploads.endpoint(), csv(total, [total]), {
      error_rate: "0",
    });
    const config = importConfig({ transformBatch: 100, workers: 1, checkpointEveryMs: 0 });
    expect(await runImportJob({ db: db(), cache: cache(), jobId, attempt: 1, config })).toBe(
      "failed",
    );
    const job = await db().prisma.importJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.error).toMatch(/1 of 3500 rows .* were rejected/);
    expect(job.checkpoint).toBeNull();
    const errors = await db().prisma.importRowError.findMany({ where: { jobId } });
    expect(errors.map((error) => Number(error.line))).toEqual([total + 1]);
    await expectLoadedOnce(db(), jobId, 0);
  }, 60_000);
});

const server = databaseBackends.find((backend) => backend.name === "server");
const redis = redisBackends.find((backend) => backend.name === "redis");

describe.runIf(server && redis)("an import whose worker process is killed", () => {
  const db = useTestDatabase(server!);
  const namespace = `lake-test:${randomUUID()}:`;
  const uploads = useImportTestServer();
  let cache: CacheServices;
  let dataDir = "";
  const workers: ReturnType<typeof spawn>[] = [];

  beforeAll(async () => {
    // This process is the web side: it takes the upload and queues the job; workers run it.
    cache = await createCacheServices({ redisUrl: redis!.url, namespace });
    setDatabase(db());
    setCacheServices(cache);
    dataDir = await mkdtemp(path.join(tmpdir(), "lake-resume-"));
    setUploadDirectory(path.join(dataDir, "uploads"));
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill("SIGKILL");
    setCacheServices(undefined);
    setDatabase(undefined);
    await cache.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startWorker(metricsPort: number) {
    const [{ name }] = await db().prisma.$queryRaw<[{ name: string }]>`
      SELECT current_database() AS name`;
    const child = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: Object.assign(new URL(server!.url!), { pathname: `/${name}` }).toString(),
        REDIS_URL: redis!.url,
        LAKE_REDIS_PREFIX: namespace,
        LAKE_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        LAKE_WORKER_METRICS_PORT: String(metricsPort),
        LAKE_IMPORT_CHECKPOINT_SECONDS: "0.2",
        LAKE_IMPORT_TRANSFORM_BATCH: "2000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    workers.push(child);
    return { child, output: () => output };
  }

  async function until<T>(what: string, read: () => Promise<T | undefined>, ms: number) {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }

  it("resumes on another worker from its checkpoint and loads every row once", async () => {
    const total = 300_000;
    const jobId = await queueImport(db(), uploads.endpoint(), csv(total));
    const job = () => db().prisma.importJob.findUniqueOrThrow({ where: { id: jobId } });

    const first = await startWorker(await freePort());
    // Killed half-way through the validation, with no chance to say anything.
    await until(
      "half the rows validated",
      async () => {
        const checkpoint = readCheckpoint(await job());
        return checkpoint && checkpoint.rowsValidated >= total / 2 ? checkpoint : undefined;
      },
      90_000,
    );
    // A client polling this (web-only) process sees where the worker is, from its checkpoint.
    const polled = toJobView(
      await db().prisma.importJob.findUniqueOrThrow({
        where: { id: jobId },
        include: jobWithStages,
      }),
    );
    expect(polled).toMatchObject({ status: "running", stage: "validate" });
    expect(polled.bytes_read).toBeGreaterThan(0);
    expect(polled.eta_seconds).not.toBeNull();
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const killedAt = readCheckpoint(await job())!;
    expect(killedAt.complete).toBe(false);
    expect((await job()).status).toBe("running");

    // A minute of silence marks a running job as stalled; here the clock is moved, not waited for.
    await db().pool.query(
      `update import_jobs set updated_at = now() - interval '2 minutes' where id = $1`,
      [jobId],
    );
    const metricsPort = await freePort();
    const second = await startWorker(metricsPort);
    const done = await until(
      "the import to end",
      async () => {
        const current = await job();
        return ["succeeded", "failed"].includes(current.status) ? current : undefined;
      },
      120_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${second.output()}`);
    });
    expect(done).toMatchObject({ status: "succeeded", rowsLoaded: BigInt(total), attempts: 2 });
    await expectLoadedOnce(db(), jobId, total);

    // The second worker validated only what came after the checkpoint.
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const validated = Number(/import_rows_total\{counter="validated"[^}]*\} (\d+)/.exec(text)?.[1]);
    expect(validated).toBe(total - killedAt.rowsValidated);
  }, 240_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
