import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET as getJob } from "../doors/rest/routes/import-job";
import { GET as errorReport } from "../doors/rest/routes/import-job-errors";
import { GET as events } from "../doors/rest/routes/import-job-events";
import { POST as cancel } from "../doors/rest/routes/import-job-cancel";
import { POST as retry } from "../doors/rest/routes/import-job-retry";
import { GET as listJobs, POST as startJob } from "../doors/rest/routes/import-jobs";

import { type Principal } from "../auth/principal";
import { publishedSql } from "../data/records/published-records";
import { databaseBackends, redisBackends } from "../testing/backends";
import { createTestKey } from "../testing/identity-fixtures";
import { useTestServices } from "../testing/test-services";
import { getEmbeddings } from "../vectors/embeddings/get-embeddings";
import { searchVectors } from "../vectors/search/search-vectors";
import { searchBodySchema, VECTOR_DIMENSIONS } from "../vectors/vectors.schemas";
import { isRetryable } from "./jobs/retry-advice";
import { type ImportHooks } from "./run/import-run";
import { startImportWorkers, stopImportWorkers } from "./run/import-workers";
import { EMBEDDING_DIMENSIONS } from "./run/pipeline/embedding-cell";
import { dropOrphanStaging, STAGING_PREFIX } from "./run/leftover-staging";
import { expireIdleUploads } from "./uploads/sweep-imports";
import { useImportTestServer } from "../doors/tus/testing/tus-test-server";
import { tusUpload } from "../doors/tus/testing/tus-upload";

type Json = Record<string, unknown>;
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const api = (method: string, path: string, key: string, body?: unknown) =>
  new Request(`http://lake.test${path}`, {
    method,
    headers: { "x-api-key": key, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

const SCHEMA = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    score: { type: ["number", "null"] },
    active: { type: "boolean" },
    at: { type: "string", format: "date-time" },
  },
  required: ["id", "name"],
  additionalProperties: false,
};

function csvRows(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return `${n},"name ${n}, ""quoted""",${n % 7 === 0 ? "" : (n * 1.5).toString()},${n % 2 === 0},2024-05-01 10:00:${String(n % 60).padStart(2, "0")}`;
  });
}
const CSV_HEADER = "id,name,score,active,at";

/** A deterministic 1536-d vector per n, with few decimals (exact enough in float4). */
const vectorOf = (n: number) =>
  Array.from(
    { length: VECTOR_DIMENSIONS },
    (_, j) => Math.round(Math.sin(n * 7.1 + j * 0.37) * 1000) / 1000,
  );
/** The vector as a CSV cell: JSON text, quoted (it holds commas). */
const vectorCell = (n: number) => `"${JSON.stringify(vectorOf(n))}"`;

describe.each(databaseBackends)("imports on $name PostgreSQL", (backend) => {
  const redisUrl = backend.name === "server" ? redisBackends.find((r) => r.url)?.url : undefined;
  const { db, cache } = useTestServices(backend, redisUrl);
  const server = useImportTestServer();
  const hooks: ImportHooks = {};
  let key = "";
  let userId = "";
  let principal: Principal;

  beforeAll(async () => {
    await startImportWorkers({
      db: db(),
      cache: cache(),
      config: { transformBatch: 40, loadBatch: 25, workers: 2 },
      sweepIntervalMs: 3_600_000,
      hooks,
    });
    const writer = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    key = writer.key;
    userId = writer.principal.userId;
    principal = writer.principal;
  });
  afterAll(() => stopImportWorkers());

  async function dataset(jsonSchema: Json | null = SCHEMA) {
    return db().prisma.dataset.create({
      data: { name: `ds-${randomUUID()}`, ownerId: userId, jsonSchema: jsonSchema as never },
    });
  }

  async function jobOf(url: string) {
    const uploadId = url.split("/").pop()!;
    return db().prisma.importJob.findUniqueOrThrow({ where: { uploadId } });
  }

  async function settled(url: string, timeoutMs = 25_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await jobOf(url);
      if (["succeeded", "failed", "cancelled"].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job still ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function upload(
    data: Buffer | string,
    metadata: Record<string, string>,
    chunkSize?: number,
  ) {
    const { url } = await tusUpload({
      endpoint: server.endpoint(),
      key,
      data: Buffer.isBuffer(data) ? data : Buffer.from(data),
      metadata,
      chunkSize,
    });
    return url;
  }

  const payloads = async (importId: string) =>
    (
      await db().prisma.record.findMany({
        where: { importId },
        orderBy: { importLine: "asc" },
        select: { payload: true, importLine: true },
      })
    ).map((row) => row.payload as Json);

  it("imports a CSV through tus: coerced, timestamps in UTC, progress and history", async () => {
    const ds = await dataset();
    const url = await upload(
      [CSV_HEADER, ...csvRows(120)].join("\r\n") + "\r\n",
      {
        dataset: ds.name,
        filename: "people.csv",
      },
      1000,
    );
    const job = await settled(url);
    expect(job).toMatchObject({ status: "succeeded", format: "csv", error: null });
    expect(Number(job.rowsLoaded)).toBe(120);
    const rows = await payloads(job.id);
    expect(rows).toHaveLength(120);
    expect(rows[6]).toEqual({
      id: 7,
      name: 'name 7, "quoted"',
      score: null,
      active: false,
      at: "2024-05-01T10:00:07.000Z",
    });
    expect(rows[0]).toMatchObject({ id: 1, score: 1.5, active: false });

    const progress = await getJob(
      api("GET", `/api/v1/lake/import/jobs/${job.id}`, key),
      params(job.id),
    );
    expect(progress.status).toBe(200);
    const view = (await progress.json()) as Json;
    expect(view).toMatchObject({
      status: "succeeded",
      bytes_received: view.bytes_total,
      upload_complete: true,
      rows_validated: 120,
      rows_transformed: 120,
      rows_accepted: 120,
      rows_rejected: 0,
      rows_loaded: 120,
    });
    expect((view.stages as Json[]).map((s) => [s.name, s.status])).toEqual([
      ["validate", "succeeded"],
      ["transform", "succeeded"],
      ["load", "succeeded"],
    ]);
    // The path: GET /api/v1/lake/import/{id} answers the same.
    const byTusPath = await fetch(`${server.endpoint()}/${job.id}`, {
      headers: { "x-api-key": key },
    });
    expect(((await byTusPath.json()) as Json).rows_loaded).toBe(120);

    const history = (await (
      await listJobs(api("GET", "/api/v1/lake/import/jobs?limit=100", key))
    ).json()) as {
      items: Json[];
    };
    expect(history.items.some((item) => item.id === job.id)).toBe(true);

    // Its life is on the `imports` topic, for its owner only (the relay empties the outbox into
    // the log within ~200 ms). Stages and progress are written as the run flushes its row, at
    // most every 250 ms: a stage shorter than that may never show; statuses always do.
    const where = { topic: "imports", partitionKey: job.id };
    await expect.poll(() => db().prisma.streamOutbox.count({ where }), { timeout: 5_000 }).toBe(0);
    const lifecycle = await db().prisma.streamEvent.findMany({ where, orderBy: { offset: "asc" } });
    expect(lifecycle.every((e) => e.ownerId === userId && e.policy === "user_data")).toBe(true);
    const steps = lifecycle.map((e) => e.payload as Json);
    expect(steps[0]).toMatchObject({ action: "created", id: job.id, status: "uploading" });
    expect(
      steps
        .filter((step) => step.action !== "progress" && step.action !== "stage")
        .map((step) => step.status),
    ).toEqual(["uploading", "queued", "running", "succeeded"]);
    const stages = [...new Set(steps.map((step) => step.stage).filter(Boolean))];
    expect(stages.length).toBeGreaterThan(0);
    expect(stages).toEqual(["validate", "transform", "load"].filter((s) => stages.includes(s)));
    expect(steps.at(-1)).toMatchObject({ action: "status", status: "succeeded", rows_loaded: 120 });
    // The file is removed once loaded and checked — right after the job is marked succeeded, so
    // a HEAD in between may still find its metadata without its data (410).
    const headStatus = async () =>
      (
        await fetch(url, {
          method: "HEAD",
          headers: { "x-api-key": key, "tus-resumable": "1.0.0" },
        })
      ).status;
    await expect.poll(headStatus, { timeout: 5_000 }).toBe(404);
  });

  it("imports NDJSON and a gzipped JSON array, format detected from the content", async () => {
    const ds = await dataset();
    const items = Array.from({ length: 60 }, (_, i) => ({
      id: i + 1,
      name: `n${i + 1}`,
      score: i / 4,
    }));
    const ndjson = await settled(
      await upload(items.map((item) => JSON.stringify(item)).join("\n"), { dataset: ds.id }),
    );
    expect(ndjson).toMatchObject({ status: "succeeded", format: "ndjson" });
    expect(await payloads(ndjson.id)).toEqual(items);

    const json = await settled(
      await upload(gzipSync(JSON.stringify(items, null, 2)), { dataset: ds.id, format: "auto" }),
    );
    expect(json).toMatchObject({ status: "succeeded", format: "json" });
    expect(await payloads(json.id)).toEqual(items);
  });

  it("resumes an upload interrupted at half from its offset; the rows equal the source", async () => {
    const ds = await dataset();
    const source = [CSV_HEADER, ...csvRows(400)].join("\n");
    const data = Buffer.from(source);
    const first = await tusUpload({
      endpoint: server.endpoint(),
      key,
      data,
      metadata: { dataset: ds.name, filename: "half.csv" },
      chunkSize: 2048,
      abortWhen: (sent, total) => sent >= total / 2,
    });
    expect(first.aborted).toBe(true);
    const head = await fetch(first.url, {
      method: "HEAD",
      headers: { "x-api-key": key, "tus-resumable": "1.0.0" },
    });
    const offset = Number(head.headers.get("upload-offset"));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(data.length);
    expect((await jobOf(first.url)).status).toBe("uploading");

    const resumed = await tusUpload({
      endpoint: server.endpoint(),
      key,
      data,
      metadata: { dataset: ds.name, filename: "half.csv" },
      chunkSize: 2048,
      uploadUrl: first.url,
    });
    expect(resumed.url).toBe(first.url);
    const job = await settled(first.url);
    expect(job.status).toBe("succeeded");
    const expected = csvRows(400).map((line) => line.split(",")[0]);
    expect((await payloads(job.id)).map((row) => String(row.id))).toEqual(expected);
  });

  /** Staging tables an earlier release's runs left (leftover-staging.ts) for a job. */
  const stagingTables = async (importId: string) =>
    (
      await db().pool.query<{ name: string }>(
        "select tablename as name from pg_tables where tablename like $1 order by 1",
        [`${STAGING_PREFIX}${importId.replaceAll("-", "")}_%`],
      )
    ).rows.map((row) => row.name);

  it("infers the types of a CSV without a schema (two passes)", async () => {
    const ds = await dataset(null);
    const job = await settled(
      await upload([CSV_HEADER, ...csvRows(60)].join("\n"), { dataset: ds.name }),
    );
    expect(job).toMatchObject({ status: "succeeded", rowsLoaded: 60n });
    const rows = await payloads(job.id);
    expect(rows[1]).toMatchObject({ id: 2, score: 3, active: true, name: 'name 2, "quoted"' });
    expect(rows[6]).toMatchObject({ id: 7, score: null, active: false });
  });

  it("drops a staging table an earlier release's run left behind", async () => {
    const ds = await dataset();
    const job = await settled(
      await upload([CSV_HEADER, ...csvRows(5)].join("\n"), { dataset: ds.name }),
    );
    expect(job.status).toBe("succeeded");
    const orphan = `${STAGING_PREFIX}${job.id.replaceAll("-", "")}_${job.attempts}`;
    await db().pool.query(`create unlogged table ${orphan} (line bigint, payload jsonb)`);
    expect(await stagingTables(job.id)).toEqual([orphan]);
    await dropOrphanStaging(db());
    expect(await stagingTables(job.id)).toEqual([]);
  });

  it("loads exactly once when a run crashes mid-load and is retried", async () => {
    const ds = await dataset();
    let crashes = 0;
    let storedAtCrash = 0;
    hooks.afterLoadBatch = async ({ jobId, batch, attempt }) => {
      if (attempt === 1 && batch === 3) {
        crashes += 1;
        storedAtCrash = await db().prisma.record.count({ where: { importId: jobId } });
        throw new Error("simulated crash after the third loaded batch");
      }
    };
    try {
      const job = await settled(
        await upload([CSV_HEADER, ...csvRows(210)].join("\n"), { dataset: ds.name }),
      );
      expect(crashes).toBe(1);
      expect(job).toMatchObject({ status: "succeeded", attempts: 2 });
      const rows = await payloads(job.id);
      expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 210 }, (_, i) => i + 1));
      const lines = await db().prisma.record.groupBy({
        by: ["importLine"],
        where: { importId: job.id },
        _count: true,
        having: { importLine: { _count: { gt: 1 } } },
      });
      expect(lines).toEqual([]);
      // The first run had stored three batches, and maybe more loaded ahead (no checkpoint yet,
      // so the retry read the file from its first row again): the retry skipped those lines
      // rather than storing them twice.
      expect(storedAtCrash).toBeGreaterThanOrEqual(120);
    } finally {
      hooks.afterLoadBatch = undefined;
    }
  });

  it("fails the consistency check when stored rows differ, and removes them", async () => {
    const ds = await dataset();
    hooks.afterLoadBatch = async ({ jobId, batch }) => {
      if (batch === 1) {
        await db().pool.query(
          `update records set payload = payload || '{"name": "tampered"}' where import_id = $1 and import_line = 2`,
          [jobId],
        );
      }
    };
    try {
      const job = await settled(
        await upload([CSV_HEADER, ...csvRows(30)].join("\n"), { dataset: ds.name }),
      );
      expect(job.status).toBe("failed");
      expect(job.error).toMatch(/consistency check failed/);
      // Not the file's fault: a retry may well succeed, and the view says so.
      expect(isRetryable(job)).toBe(true);
      expect(await db().prisma.record.count({ where: { importId: job.id } })).toBe(0);
    } finally {
      hooks.afterLoadBatch = undefined;
    }
  });

  it("rejects bad rows into a CSV error report without stopping the import", async () => {
    const ds = await dataset();
    const lines = [CSV_HEADER, ...csvRows(300)];
    lines[10] = "11,too,many,columns,here,extra";
    lines[20] = "not-a-number,x,1,true,2024-01-01";
    const job = await settled(
      await upload(lines.join("\n"), { dataset: ds.name, error_rate: "0.01" }),
    );
    expect(job).toMatchObject({ status: "succeeded" });
    expect(Number(job.rowsRejected)).toBe(2);
    expect(Number(job.rowsLoaded)).toBe(298);
    const report = await errorReport(
      api("GET", `/api/v1/lake/import/jobs/${job.id}/errors`, key),
      params(job.id),
    );
    expect(report.headers.get("content-type")).toMatch(/text\/csv/);
    const text = await report.text();
    const [header, first, second] = text.trim().split("\r\n");
    expect(header).toBe("line,column,reason");
    expect(first).toMatch(/^11,,has 6 fields; the header has 5$/);
    expect(second).toMatch(/^21,id,/);
  });

  it("fails above the error rate and loads nothing", async () => {
    const ds = await dataset();
    const lines = [CSV_HEADER, ...csvRows(50)];
    lines[5] = "x,bad,1,true,2024-01-01";
    // The pass writes accepted rows into records as it goes, hidden (decision 0020): while it
    // runs, none of them may be visible.
    const visible: number[] = [];
    hooks.afterLoadBatch = async () => {
      const { rows } = await db().pool.query<{ n: number }>(
        `select count(*)::int as n from records r where r.dataset_id = $1 and ${publishedSql("r")}`,
        [ds.id],
      );
      visible.push(rows[0]!.n);
    };
    const job = await settled(await upload(lines.join("\n"), { dataset: ds.name })).finally(
      () => (hooks.afterLoadBatch = undefined),
    );
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((n) => n === 0)).toBe(true);
    expect(job.status).toBe("failed");
    // Said once, without the "nothing was loaded" the console's heading says.
    expect(job.error).toBe(
      "1 of 50 rows (2.00 %) were rejected, above the allowed error rate of 1.00 %; the error report lists them.",
    );
    expect(isRetryable(job)).toBe(false);
    expect(await db().prisma.record.count({ where: { importId: job.id } })).toBe(0);
    const held = await db().pool.query("select 1 from import_loads where import_id = $1", [job.id]);
    expect(held.rowCount).toBe(0);
  });

  const badInputs: [string, () => Buffer | string, RegExp, Record<string, string>?][] = [
    ["an empty file", () => "", /empty/],
    ["a header only", () => `${CSV_HEADER}\r\n`, /header but no rows/],
    ["the wrong delimiter", () => "a;b;c\n1;2;3\n", /looks ";"-delimited/, { delimiter: "comma" }],
    [
      "unbalanced quotes",
      () => `${CSV_HEADER}\n1,"open,2,true,2024-01-01\n2,b,3,true,2024-01-01\n`,
      /Unbalanced quotes/,
    ],
    [
      "invalid UTF-8",
      () =>
        Buffer.concat([
          Buffer.from(`${CSV_HEADER}\n1,`),
          Buffer.from([0xc3, 0x28]),
          Buffer.from(",1,true,2024-01-01\n"),
        ]),
      /not valid UTF-8/,
    ],
    [
      "a truncated gzip",
      () => gzipSync([CSV_HEADER, ...csvRows(500)].join("\n")).subarray(0, 400),
      /gzip data is truncated or corrupt/,
    ],
    [
      "a JSON array that never closes",
      () => '[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}',
      /never closed/,
      { format: "json" },
    ],
  ];
  it.each(badInputs)(
    "fails %s with a readable error and loads nothing, keeping the upload",
    async (_, data, error, extra) => {
      const ds = await dataset();
      const url = await upload(data(), { dataset: ds.name, ...extra });
      const job = await settled(url);
      expect(job.status).toBe("failed");
      expect(job.error).toMatch(error);
      // The file's own fault: a retry would fail the same way, so none is offered.
      expect(isRetryable(job)).toBe(false);
      expect(await db().prisma.record.count({ where: { importId: job.id } })).toBe(0);
      // Kept for a retry: the upload is still there and complete.
      const head = await fetch(url, {
        method: "HEAD",
        headers: { "x-api-key": key, "tus-resumable": "1.0.0" },
      });
      expect(head.status).toBe(200);
    },
  );

  it("answers malformed tus requests with the status they deserve, in the envelope", async () => {
    const ds = await dataset();
    const b64 = (text: string) => Buffer.from(text).toString("base64");
    const tus = (init: { method: string; headers?: Record<string, string>; body?: string }) =>
      fetch(init.method === "POST" ? server.endpoint() : location, {
        method: init.method,
        headers: { "x-api-key": key, "tus-resumable": "1.0.0", ...init.headers },
        body: init.body,
      });
    let location = server.endpoint();
    const created = await tus({
      method: "POST",
      headers: { "upload-length": "10", "upload-metadata": `dataset ${b64(ds.name)}` },
    });
    expect(created.status).toBe(201);
    location = new URL(created.headers.get("location")!, server.endpoint()).toString();

    const cases: [string, Parameters<typeof tus>[0], number, string][] = [
      [
        "no Upload-Offset",
        {
          method: "PATCH",
          headers: { "content-type": "application/offset+octet-stream" },
          body: "abc",
        },
        400,
        "bad_request",
      ],
      [
        "a body of another type",
        {
          method: "PATCH",
          headers: { "upload-offset": "0", "content-type": "text/plain" },
          body: "abc",
        },
        415,
        "unsupported_media_type",
      ],
      [
        "Upload-Concat",
        { method: "POST", headers: { "upload-length": "10", "upload-concat": "partial" } },
        400,
        "bad_request",
      ],
      [
        "a NUL in the metadata",
        {
          method: "POST",
          headers: {
            "upload-length": "10",
            "upload-metadata": `dataset ${b64(ds.name)},filename ${b64("a\u0000b.csv")}`,
          },
        },
        400,
        "validation_failed",
      ],
    ];
    for (const [name, init, status, code] of cases) {
      const response = await tus(init);
      expect(response.status, name).toBe(status);
      expect(await response.json(), name).toMatchObject({ error_code: code });
    }
  });

  it("answers the tus protocol's errors in the envelope: 400, 413, 409, 404, 429", async () => {
    const ds = await dataset();
    const create = (metadata: string, length: number, apiKey = key) =>
      fetch(server.endpoint(), {
        method: "POST",
        headers: {
          "x-api-key": apiKey,
          "tus-resumable": "1.0.0",
          "upload-length": String(length),
          "upload-metadata": metadata,
        },
      });
    const b64 = (text: string) => Buffer.from(text).toString("base64");

    const unknown = await create(`dataset ${b64("no-such-dataset")}`, 10);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error_code: "validation_failed" });
    const badFormat = await create(`dataset ${b64(ds.name)},format ${b64("xml")}`, 10);
    expect(badFormat.status).toBe(400);

    const tooLarge = await create(`dataset ${b64(ds.name)}`, 5 * 1024 ** 3 + 1);
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error_code: "payload_too_large" });

    const created = await create(`dataset ${b64(ds.name)}`, 10);
    expect(created.status).toBe(201);
    const location = new URL(created.headers.get("location")!, server.endpoint()).toString();
    const patch = (offset: number, apiKey = key) =>
      fetch(location, {
        method: "PATCH",
        headers: {
          "x-api-key": apiKey,
          "tus-resumable": "1.0.0",
          "upload-offset": String(offset),
          "content-type": "application/offset+octet-stream",
        },
        body: "abcde",
      });
    expect((await patch(0)).status).toBe(204);
    const conflict = await patch(0);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error_code: "conflict" });

    const stranger = (await createTestKey(db(), "admin", ["read", "write"])).key;
    expect((await patch(5, stranger)).status).toBe(404);
    const strangerHead = await fetch(location, {
      method: "HEAD",
      headers: { "x-api-key": stranger, "tus-resumable": "1.0.0" },
    });
    expect(strangerHead.status).toBe(404);

    const busy = (await createTestKey(db(), "admin", ["read", "write"])).key;
    for (let i = 0; i < 5; i++)
      expect((await create(`dataset ${b64(ds.name)}`, 10, busy)).status).toBe(201);
    const sixth = await create(`dataset ${b64(ds.name)}`, 10, busy);
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("retry-after")).toBe("30");

    const reader = (await createTestKey(db(), "reader", ["read"])).key;
    expect((await create(`dataset ${b64(ds.name)}`, 10, reader)).status).toBe(403);
    expect(
      (
        await fetch(server.endpoint(), {
          method: "POST",
          headers: { "tus-resumable": "1.0.0", "upload-length": "1" },
        })
      ).status,
    ).toBe(401);
  });

  it("terminates an upload on DELETE and expires idle ones", async () => {
    const ds = await dataset();
    const data = Buffer.from([CSV_HEADER, ...csvRows(200)].join("\n"));
    const half = (sent: number, total: number) => sent >= total / 2;
    const first = await tusUpload({
      endpoint: server.endpoint(),
      key,
      data,
      metadata: { dataset: ds.name },
      chunkSize: 1024,
      abortWhen: half,
    });
    const terminated = await fetch(first.url, {
      method: "DELETE",
      headers: { "x-api-key": key, "tus-resumable": "1.0.0" },
    });
    expect(terminated.status).toBe(204);
    await expect.poll(async () => (await jobOf(first.url)).status).toBe("cancelled");

    const idle = await tusUpload({
      endpoint: server.endpoint(),
      key,
      data,
      metadata: { dataset: ds.name },
      chunkSize: 1024,
      abortWhen: half,
    });
    const expired = await expireIdleUploads({
      db: db(),
      cache: cache(),
      now: Date.now() + 31 * 60_000,
    });
    expect(expired).toContain((await jobOf(idle.url)).id);
    const expiredJob = await jobOf(idle.url);
    expect(expiredJob.status).toBe("failed");
    expect(expiredJob.error).toMatch(/expired/);
    const head = await fetch(idle.url, {
      method: "HEAD",
      headers: { "x-api-key": key, "tus-resumable": "1.0.0" },
    });
    expect(head.status).toBe(404);
  });

  it("starts a manual upload by POST /jobs, cancels it (rows removed) and retries it", async () => {
    const ds = await dataset();
    const url = await upload([CSV_HEADER, ...csvRows(150)].join("\n"), {
      dataset: ds.name,
      start: "manual",
    });
    const waiting = await jobOf(url);
    expect(waiting.status).toBe("uploading");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The pass stops after its second loaded batch until the gate opens: the import is held
    // mid-load, its rows stored and hidden.
    hooks.afterLoadBatch = async ({ batch }) => {
      if (batch >= 2) await gate;
    };
    try {
      const started = await startJob(
        api("POST", "/api/v1/lake/import/jobs", key, { upload_id: waiting.uploadId }),
      );
      expect(started.status).toBe(202);
      await expect
        .poll(async () => db().prisma.record.count({ where: { importId: waiting.id } }), {
          timeout: 20_000,
        })
        .toBeGreaterThanOrEqual(50);
      const cancelled = await cancel(
        api("POST", `/api/v1/lake/import/jobs/${waiting.id}/cancel`, key),
        params(waiting.id),
      );
      expect(cancelled.status).toBe(200);
      expect(await db().prisma.record.count({ where: { importId: waiting.id } })).toBe(0);
      release();
      const job = await settled(url);
      expect(job.status).toBe("cancelled");
      expect(await db().prisma.record.count({ where: { importId: waiting.id } })).toBe(0);
    } finally {
      hooks.afterLoadBatch = undefined;
      release();
    }
    const again = await retry(
      api("POST", `/api/v1/lake/import/jobs/${waiting.id}/retry`, key),
      params(waiting.id),
    );
    expect(again.status).toBe(202);
    const done = await settled(url);
    expect(done.status).toBe("succeeded");
    expect(await db().prisma.record.count({ where: { importId: waiting.id } })).toBe(150);
    const twice = await retry(
      api("POST", `/api/v1/lake/import/jobs/${waiting.id}/retry`, key),
      params(waiting.id),
    );
    expect(twice.status).toBe(409);
  });

  it("streams progress as server-sent events, current state first", async () => {
    const ds = await dataset();
    const url = await upload(`${CSV_HEADER}\n${csvRows(5).join("\n")}`, { dataset: ds.name });
    const job = await settled(url);
    const response = await events(
      api("GET", `/api/v1/lake/import/jobs/${job.id}/events`, key),
      params(job.id),
    );
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await response.text();
    expect(text).toMatch(/^event: progress\n/);
    expect(JSON.parse(/data: (.*)\n/.exec(text)![1]!)).toMatchObject({
      id: job.id,
      status: "succeeded",
      rows_loaded: 5,
    });
    const stranger = (await createTestKey(db(), "reader", ["read"])).key;
    expect(
      (await getJob(api("GET", `/api/v1/lake/import/jobs/${job.id}`, stranger), params(job.id)))
        .status,
    ).toBe(404);
  });

  describe("embedding column", () => {
    const importedEmbeddings = async (importId: string) =>
      (
        await db().pool.query<{ line: number; type: string; model: string; vector: string }>(
          `select r.import_line::int as line, e.type::text as type, e.model, e.embedding::text as vector
             from record_embeddings e join records r on r.id = e.record_id
            where r.import_id = $1 order by r.import_line`,
          [importId],
        )
      ).rows;
    const reportOf = async (jobId: string) =>
      (
        await (
          await errorReport(
            api("GET", `/api/v1/lake/import/jobs/${jobId}/errors`, key),
            params(jobId),
          )
        ).text()
      )
        .trim()
        .split("\r\n")
        .slice(1);

    it("agrees with the vectors' limits", () => {
      expect(EMBEDDING_DIMENSIONS).toBe(VECTOR_DIMENSIONS);
    });

    it("loads a CSV's vectors into record_embeddings, out of the payload and its schema, searchable", async () => {
      const ds = await dataset({
        type: "object",
        properties: { id: { type: "integer" }, name: { type: "string" } },
        required: ["id", "name"],
        additionalProperties: false,
      });
      const model = `test/csv-${randomUUID()}`;
      const lines = Array.from(
        { length: 60 },
        (_, i) => `${i + 1},row ${i + 1},${(i + 1) % 5 === 0 ? "" : vectorCell(i + 1)}`,
      );
      const job = await settled(
        await upload(["id,name,vec", ...lines].join("\n"), {
          dataset: ds.name,
          embedding: "vec",
          embedding_model: model,
        }),
      );
      expect(job).toMatchObject({ status: "succeeded", error: null });
      const rows = await payloads(job.id);
      expect(rows).toHaveLength(60);
      expect(rows[0]).toEqual({ id: 1, name: "row 1" });
      const stored = await importedEmbeddings(job.id);
      // Every fifth row had an empty cell: no embedding, still loaded.
      expect(stored).toHaveLength(48);
      expect(stored.every((row) => row.type === "TEXT" && row.model === model)).toBe(true);

      const record = await db().prisma.record.findFirstOrThrow({
        where: { importId: job.id, payload: { path: ["id"], equals: 7 } },
      });
      const [view] = await getEmbeddings({ db: db(), principal, recordId: record.id });
      expect(view).toMatchObject({ type: "TEXT", model, dimensions: VECTOR_DIMENSIONS });
      const error = Math.max(...view!.vector.map((x, j) => Math.abs(x - vectorOf(7)[j]!)));
      expect(error).toBeLessThan(1e-6);

      const found = await searchVectors({
        db: db(),
        cache: cache(),
        principal,
        search: searchBodySchema.parse({
          vector: vectorOf(7),
          type: "TEXT",
          k: 3,
          filter: { dataset: ds.id },
        }),
      });
      expect(found.results[0]).toMatchObject({ record: { id: record.id } });
      expect(found.results[0]!.score).toBeCloseTo(1, 4);
    });

    it("rejects rows whose vector is wrong into the error report, naming the column", async () => {
      const ds = await dataset(null);
      const model = `test/bad-${randomUUID()}`;
      const rest = vectorOf(1).slice(1).join(",");
      const lines = Array.from({ length: 30 }, (_, i) => `${i + 1},${vectorCell(i + 1)}`);
      lines[2] = `3,"[1,2,3]"`;
      lines[3] = `4,"[NaN,${rest}]"`;
      lines[4] = `5,"[1e39,${rest}]"`;
      lines[5] = `6,"not a vector"`;
      const job = await settled(
        await upload(["id,embedding", ...lines].join("\n"), {
          dataset: ds.name,
          embedding: "embedding",
          embedding_type: "IMAGE",
          embedding_model: model,
          error_rate: "0.2",
        }),
      );
      expect(job).toMatchObject({ status: "succeeded", rowsRejected: 4n });
      const rows = await payloads(job.id);
      expect(rows).toHaveLength(26);
      // Without a schema, the rest of the row is still inferred as before: id is a number.
      expect(rows[0]).toEqual({ id: 1 });
      const stored = await importedEmbeddings(job.id);
      expect(stored).toHaveLength(26);
      expect(stored.every((row) => row.type === "IMAGE" && row.model === model)).toBe(true);
      const report = await reportOf(job.id);
      expect(report).toHaveLength(4);
      expect(report[0]).toMatch(/^4,embedding,.*has 3 components, not 1536/);
      expect(report[1]).toMatch(/^5,embedding,.*not a JSON array of numbers/);
      expect(report[2]).toMatch(/^6,embedding,.*component 0 \(1e\+39\).*float4 range/);
      expect(report[3]).toMatch(/^7,embedding,.*not a JSON array of numbers/);
    });

    it("takes NDJSON arrays, a null as no embedding, and refuses non-numbers", async () => {
      const ds = await dataset(null);
      const model = `test/ndjson-${randomUUID()}`;
      const lines = Array.from({ length: 20 }, (_, i) =>
        JSON.stringify({ id: i + 1, v: i === 3 ? null : vectorOf(i + 1) }),
      );
      lines[5] = JSON.stringify({ id: 6, v: ["0.1", ...vectorOf(6).slice(1)] });
      const job = await settled(
        await upload(lines.join("\n"), {
          dataset: ds.name,
          format: "ndjson",
          embedding: "v",
          embedding_model: model,
          error_rate: "0.1",
        }),
      );
      expect(job).toMatchObject({ status: "succeeded", rowsRejected: 1n });
      const rows = await payloads(job.id);
      expect(rows).toHaveLength(19);
      expect(rows[3]).toEqual({ id: 4 });
      const stored = await importedEmbeddings(job.id);
      expect(stored.map((row) => row.line)).not.toContain(4);
      expect(stored).toHaveLength(18);
      const first = JSON.parse(stored[0]!.vector) as number[];
      expect(Math.max(...first.map((x, j) => Math.abs(x - vectorOf(1)[j]!)))).toBeLessThan(1e-6);
      expect((await reportOf(job.id))[0]).toMatch(/^6,v,.*component 0 \(""0\.1""\)/);
    });

    it("leaves no embeddings behind when an import is cancelled mid-load", async () => {
      const ds = await dataset({ type: "object", properties: { id: { type: "integer" } } });
      const model = `test/cancel-${randomUUID()}`;
      hooks.afterLoadBatch = async ({ jobId, batch }) => {
        if (batch !== 1) return;
        expect((await importedEmbeddings(jobId)).length).toBeGreaterThan(0);
        await cancel(api("POST", `/api/v1/lake/import/jobs/${jobId}/cancel`, key), params(jobId));
      };
      try {
        const lines = Array.from({ length: 100 }, (_, i) => `${i + 1},${vectorCell(i + 1)}`);
        const job = await settled(
          await upload(["id,vec", ...lines].join("\n"), {
            dataset: ds.name,
            embedding: "vec",
            embedding_model: model,
          }),
        );
        expect(job.status).toBe("cancelled");
        const { rows } = await db().pool.query<{ count: number }>(
          "select count(*)::int as count from record_embeddings where model = $1",
          [model],
        );
        expect(rows[0]!.count).toBe(0);
      } finally {
        hooks.afterLoadBatch = undefined;
      }
    });

    it("answers bad embedding metadata with a 400 when the upload is created", async () => {
      const ds = await dataset();
      const b64 = (text: string) => Buffer.from(text).toString("base64");
      const create = (pairs: Record<string, string>) =>
        fetch(server.endpoint(), {
          method: "POST",
          headers: {
            "x-api-key": key,
            "tus-resumable": "1.0.0",
            "upload-length": "10",
            "upload-metadata": Object.entries({ dataset: ds.name, ...pairs })
              .map(([name, value]) => `${name} ${b64(value)}`)
              .join(","),
          },
        });
      for (const pairs of [
        { embedding: "vec" },
        { embedding: "vec", embedding_model: "m", embedding_type: "VIDEO" },
        { embedding_model: "m" },
        { embedding: "vec", embedding_model: "" },
      ] as Record<string, string>[]) {
        const response = await create(pairs);
        expect(response.status, JSON.stringify(pairs)).toBe(400);
        expect(await response.json()).toMatchObject({ error_code: "validation_failed" });
      }
      const fine = await create({
        embedding: "vec",
        embedding_model: "m",
        embedding_type: "AUDIO",
      });
      expect(fine.status).toBe(201);
      const job = await jobOf(fine.headers.get("location")!);
      expect(job.options).toMatchObject({
        embedding: { column: "vec", type: "AUDIO", model: "m" },
      });
    });
  });
});
