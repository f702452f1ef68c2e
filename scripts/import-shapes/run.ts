// `npm run test:import-shapes`: files of many shapes — one column, two short columns, wide rows,
// long text cells; CSV, NDJSON and a JSON array; plain and gzip; with and without a dataset schema —
// imported end to end (tus upload → job → records) into a production Lake on real PostgreSQL and
// Redis. Each must load exactly its rows: the job's counts, the stored rows' count and an aggregate
// over all of them, and sampled rows compared value by value. Then a hostile import (a gzip bomb)
// is cancelled in validation and the server's RSS must come back near idle (memory-check.ts).
// Prints a table (rows, seconds, peak RSS of the server per import) and exits non-zero on any
// failure. Needs `npm run build` first (CI runs it after the build stage).
//
//   IMPORT_SHAPES_DATABASE_URL  recreated every run (default postgresql://postgres@127.0.0.1:5432/lake_import_shapes)
//   REDIS_URL                   the Lake's Redis (default redis://127.0.0.1:6379 when it answers, else none)
//   IMPORT_SHAPES_LARGE_ROWS    rows of the large runs of the short shapes (default 1000000)
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";

import pg from "pg";

import { type ImportJobView } from "../../server/imports/imports.schemas";
import { SERVER_DIR } from "../server-process.mjs";
import {
  chooseRedis,
  DEFAULT_BENCH_DATABASE_URL,
  loadLine,
  printBenchHeader,
  recreateDatabase,
} from "../bench/bench-environment";
import { benchChildren } from "../bench/child-process";
import { sampleRss } from "../bench/rss-sampler";
import { createBenchApiKey, lakeClient } from "../bench/seed";
import { BENCH_ADMIN_EMAIL, startBenchLake } from "../bench/start-lake";
import { jobOfUpload, uploadFile, waitForJob } from "./lake-import";
import { hostileImportCheck, MARGIN_MB, SETTLE_MS } from "./memory-check";
import { type Format, SHAPES, type Shape, writeShapeFile } from "./shapes";

const config = {
  databaseUrl:
    process.env.IMPORT_SHAPES_DATABASE_URL ||
    `${DEFAULT_BENCH_DATABASE_URL.replace(/\/[^/]*$/, "")}/lake_import_shapes`,
  redisUrl: process.env.REDIS_URL || undefined,
  largeRows: Number(process.env.IMPORT_SHAPES_LARGE_ROWS || 1_000_000),
};
/** Rows of the short shapes in the runs that cover every variant (the large runs cover one). */
const SMALL_ROWS = 20_000;
const JOB_TIMEOUT_MS = 5 * 60_000;
const FORMATS: Format[] = ["csv", "ndjson", "json"];

type Run = { shape: Shape; format: Format; rows: number; gzip: boolean; schema: boolean };
type Outcome = Run & { mb: number; seconds: number; peakMb: number; problem?: string };

/**
 * Every shape in every format, plain and gzip, with and without a schema; the short shapes at
 * SMALL_ROWS so, plus one large run per format at IMPORT_SHAPES_LARGE_ROWS, whose variants are
 * spread so that each format has plain and gzip, schema and none among them — and the plain CSV
 * of two short columns without a schema, the file that once ran out of memory, is one of them.
 */
function plannedRuns(): Run[][] {
  const large: Record<string, [boolean, boolean][]> = {
    // [gzip, schema] for csv, ndjson, json
    "one column": [
      [false, true],
      [true, false],
      [false, false],
    ],
    "two short columns": [
      [false, false],
      [false, true],
      [true, true],
    ],
  };
  const groups: Run[][] = [];
  for (const shape of SHAPES) {
    const short = shape.rows >= 100_000;
    FORMATS.forEach((format, f) => {
      for (const gzip of [false, true]) {
        const rows = short ? SMALL_ROWS : shape.rows;
        groups.push([false, true].map((schema) => ({ shape, format, rows, gzip, schema })));
      }
      const variant = large[shape.name]?.[f];
      if (short && variant) {
        const [gzip, schema] = variant;
        groups.push([{ shape, format, rows: config.largeRows, gzip, schema }]);
      }
    });
  }
  return groups;
}

const children = benchChildren("test:import-shapes");

/** Checks the import's stored rows against the shape: count, an aggregate, sampled rows. */
async function checkStored(client: pg.Client, run: Run, job: ImportJobView): Promise<string[]> {
  const problems: string[] = [];
  if (job.status !== "succeeded") return [`job ${job.status}: ${job.error ?? "no reason"}`];
  if (job.rows_loaded !== run.rows || job.rows_rejected !== 0) {
    problems.push(`job says ${job.rows_loaded} loaded, ${job.rows_rejected} rejected`);
  }
  const { rows } = await client.query<{ count: string; aggregate: string }>(
    `select count(*)::text as count, (${run.shape.aggregate.sql})::text as aggregate
       from records where import_id = $1`,
    [job.id],
  );
  const stored = rows[0]!;
  if (stored.count !== String(run.rows)) problems.push(`${stored.count} rows stored`);
  const expected = run.shape.aggregate.expected(run.rows);
  if (stored.aggregate !== expected) {
    problems.push(`${run.shape.aggregate.sql} = ${stored.aggregate}, expected ${expected}`);
  }
  const samples = [0, run.rows - 1, Math.floor(run.rows / 2), 7, (run.rows * 7) / 13, 999_983];
  for (const i of new Set(samples.map((s) => Math.floor(s) % run.rows))) {
    const found = await client.query<{ payload: unknown }>(
      "select payload from records where import_id = $1 and payload @> $2::jsonb",
      [job.id, JSON.stringify(run.shape.key(i))],
    );
    if (found.rows.length !== 1 || !isDeepStrictEqual(found.rows[0]!.payload, run.shape.row(i))) {
      problems.push(`row ${i}: ${found.rows.length} found, not as written`);
      break;
    }
  }
  return problems;
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);

function printTable(outcomes: Outcome[]): void {
  const header = ["shape", "format", "file", "schema", "rows", "MB", "seconds", "peak RSS MB", ""];
  const lines = outcomes.map((o) => [
    o.shape.name,
    o.format,
    o.gzip ? "gzip" : "plain",
    o.schema ? "yes" : "no",
    o.rows.toLocaleString("en"),
    fmt(o.mb),
    fmt(o.seconds),
    fmt(o.peakMb, 0),
    o.problem ? `FAIL ${o.problem}` : "ok",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const right = new Set([4, 5, 6, 7]);
  const show = (cells: string[]) =>
    cells
      .map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  console.log(show(header));
  for (const line of lines) console.log(show(line));
}

async function main() {
  const started = Date.now();
  printBenchHeader("test:import-shapes");
  if (!existsSync(path.join(SERVER_DIR, "main.mjs"))) {
    throw new Error(`no production build in ${SERVER_DIR}: run \`npm run build\` first`);
  }
  const work = mkdtempSync(path.join(tmpdir(), "lake-import-shapes-"));
  const client = new pg.Client({ connectionString: config.databaseUrl });
  const outcomes: Outcome[] = [];
  try {
    await recreateDatabase(config.databaseUrl);
    const redis = await chooseRedis(config.redisUrl);
    console.log(`database: ${config.databaseUrl} (dropped and recreated)`);
    console.log(`redis:    ${redis.url ?? "none"} (${redis.reason})`);
    const { baseUrl, pid } = await startBenchLake({
      children,
      databaseUrl: config.databaseUrl,
      redisUrl: redis.url,
      dataDir: path.join(work, "lake"),
      redisPrefix: `lake-import-shapes-${Date.now()}:`,
    });
    const rss = sampleRss(pid);
    console.log(`lake:     ${baseUrl} (pid ${pid}, ${fmt(rss.peakMb())} MB RSS at start)\n`);
    const { key } = await createBenchApiKey({
      databaseUrl: config.databaseUrl,
      adminEmail: BENCH_ADMIN_EMAIL,
    });
    const lake = lakeClient(baseUrl, key);
    await client.connect();

    let datasets = 0;
    for (const group of plannedRuns()) {
      const { shape, format, rows, gzip } = group[0]!;
      const file = path.join(work, `shape.${format}${gzip ? ".gz" : ""}`);
      const bytes = await writeShapeFile({ file, shape, format, rows, gzip });
      for (const run of group) {
        datasets += 1;
        const dataset = `shape-${datasets}`;
        await lake("POST", "/api/v1/lake/datasets", {
          name: dataset,
          policy: "analytics",
          ...(run.schema ? { schema: shape.schema } : {}),
        });
        rss.reset();
        const t0 = Date.now();
        let outcome: Outcome;
        try {
          const uploadId = await uploadFile({ baseUrl, key, file, metadata: { dataset } });
          const job = await waitForJob(
            lake,
            (await jobOfUpload(lake, uploadId)).id,
            JOB_TIMEOUT_MS,
          );
          const seconds = (Date.parse(job.finished_at ?? new Date().toISOString()) - t0) / 1000;
          const problems = await checkStored(client, run, job);
          outcome = { ...run, mb: bytes / 1e6, seconds, peakMb: rss.peakMb() };
          if (problems.length) outcome.problem = problems.join("; ");
        } catch (error) {
          const problem = error instanceof Error ? error.message : String(error);
          outcome = {
            ...run,
            mb: bytes / 1e6,
            seconds: (Date.now() - t0) / 1000,
            peakMb: 0,
            problem,
          };
        }
        outcomes.push(outcome);
        console.log(
          `  ${shape.name} · ${format} · ${gzip ? "gzip" : "plain"} · schema ${run.schema ? "yes" : "no"} · ${rows.toLocaleString("en")} rows: ${outcome.problem ? `FAIL ${outcome.problem}` : "ok"} (${fmt(outcome.seconds)} s, ${fmt(outcome.peakMb, 0)} MB)`,
        );
      }
      rmSync(file, { force: true });
    }
    const shapesDone = Date.now();

    console.log("\nhostile import: a gzip bomb, cancelled in validation");
    const memory = await hostileImportCheck({ baseUrl, key, lake, rss, work });
    rss.stop();

    console.log(`\nimports (peak RSS: the Lake's process, VmRSS every 100 ms during each import)`);
    printTable(outcomes);
    console.log(
      `\nmemory after a hostile import: ${fmt(memory.bombMb)} MB gzip inflating to ${fmt(memory.inflatedGb)} GB of CSV (every row rejected), cancelled after ${memory.rowsValidated.toLocaleString("en")} rows`,
    );
    console.log(
      `  RSS idle ${fmt(memory.idleMb, 0)} MB · peak ${fmt(memory.peakMb, 0)} MB · ${SETTLE_MS / 1000} s after the cancel ${fmt(memory.afterCancelMb, 0)} MB (bound: idle + ${MARGIN_MB} MB = ${fmt(memory.idleMb + MARGIN_MB, 0)} MB): ${memory.passed ? "ok" : `FAIL ${memory.problem}`}`,
    );
    const failed = outcomes.filter((o) => o.problem).length + (memory.passed ? 0 : 1);
    const total = outcomes.length + 1;
    console.log(
      `\n${fmt((shapesDone - started) / 1000, 0)} s for the imports, ${fmt((Date.now() - started) / 1000, 0)} s in all; load average ${loadLine()} at the end (${cpus().length} CPUs)`,
    );
    console.log(`import-shapes: ${total - failed} passed, ${failed} failed`);
    if (failed) process.exitCode = 1;
  } finally {
    await client.end().catch(() => undefined);
    await children.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

children.run(main);
