import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { hostname, tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createCacheServices, type CacheServices } from "./cache/cache-services";
import { setCacheServices } from "./cache/client";
import { setDatabase } from "./db/client";
import { setUploadDirectory } from "./imports/uploads/upload-store";
import { useImportTestServer } from "./doors/tus/testing/tus-test-server";
import { tusUpload } from "./doors/tus/testing/tus-upload";
import { databaseBackends, redisBackends } from "./testing/backends";
import { createTestKey } from "./testing/identity-fixtures";
import { useTestDatabase } from "./testing/test-database";

const server = databaseBackends.find((backend) => backend.name === "server");
const redis = redisBackends.find((backend) => backend.name === "redis");

/** `npm run worker`, as a web-only deployment runs it: its own process, the same PG and Redis. */
describe.runIf(server && redis)("a separate worker process (npm run worker)", () => {
  const db = useTestDatabase(server!);
  const namespace = `lake-test:${randomUUID()}:`;
  const uploads = useImportTestServer();
  let cache: CacheServices;
  let dataDir = "";
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    // This process is the web side: it takes uploads and queues jobs, and runs no workers.
    cache = await createCacheServices({ redisUrl: redis!.url, namespace });
    setDatabase(db());
    setCacheServices(cache);
    dataDir = await mkdtemp(path.join(tmpdir(), "lake-worker-"));
    setUploadDirectory(path.join(dataDir, "uploads"));
  });
  afterAll(async () => {
    worker?.kill("SIGKILL");
    setCacheServices(undefined);
    setDatabase(undefined);
    await cache.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function startWorker(databaseUrl: string, metricsPort: number) {
    const child = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis!.url,
        LAKE_REDIS_PREFIX: namespace,
        LAKE_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        LAKE_WORKER_METRICS_PORT: String(metricsPort),
        LAKE_INSTANCE_ID: "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    return { child, output: () => output, exited };
  }

  it("runs an import queued by a web-only instance, shows it on its /metrics, then stops cleanly on SIGTERM", async () => {
    const { key, principal } = await createTestKey(db(), "admin", ["read", "write"]);
    const dataset = await db().prisma.dataset.create({
      data: { name: `ds-${randomUUID()}`, ownerId: principal.userId },
    });
    const { url } = await tusUpload({
      endpoint: uploads.endpoint(),
      key,
      data: Buffer.from("id,name\n1,ada\n2,grace\n3,edsger\n"),
      metadata: { dataset: dataset.name, filename: "people.csv" },
    });
    const uploadId = url.split("/").pop()!;
    const queued = await db().prisma.importJob.findUniqueOrThrow({ where: { uploadId } });
    expect(queued.status).toBe("queued");

    const [{ name }] = await db().prisma.$queryRaw<[{ name: string }]>`
      SELECT current_database() AS name`;
    const metricsPort = await freePort();
    const started = startWorker(
      Object.assign(new URL(server!.url!), { pathname: `/${name}` }).toString(),
      metricsPort,
    );
    worker = started.child;

    const deadline = Date.now() + 60_000;
    let job = queued;
    while (!["succeeded", "failed"].includes(job.status)) {
      if (Date.now() > deadline) throw new Error(`still ${job.status}:\n${started.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await db().prisma.importJob.findUniqueOrThrow({ where: { id: queued.id } });
    }
    expect(job).toMatchObject({ status: "succeeded", error: null });
    expect(await db().prisma.record.count({ where: { importId: job.id } })).toBe(3);

    // What a scrape of the worker sees: its own label, the run, the rows it loaded.
    const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    const instance = `lake_instance="${hostname()}:${metricsPort}"`;
    expect(text).toMatch(new RegExp(`import_rows_total\\{counter="loaded",[^}]*${instance}\\} 3`));
    expect(text).toMatch(/job_runs_total\{queue="imports",outcome="completed"[^}]*\} 1/);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/health`)).status).toBe(200);

    worker.kill("SIGTERM");
    expect(await started.exited).toBe(0);
  });

  it("refuses to start without a shared database and Redis", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
      env: { ...process.env, DATABASE_URL: "", REDIS_URL: "", LAKE_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("needs DATABASE_URL and REDIS_URL");
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
