// After a hostile import is cancelled, the server's memory must come back: RSS idle before it,
// peak during it, and after the cancel, against a bound.
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { type ImportJobView } from "../../server/imports/imports.schemas";
import { type RssSampler } from "../bench/rss-sampler";
import { type LakeClient } from "../bench/seed";
import { writeGzipBomb } from "./gzip-bomb";
import { jobOfUpload, uploadFile, waitForJob } from "./lake-import";

/** Inflated size of the bomb: far more than validation reaches before the cancel. */
const BOMB_BYTES = 10e9;
/** Validation runs this long (after its first rows) before it is cancelled. */
const RUN_BEFORE_CANCEL_MS = 20_000;
/** How long after the cancel the RSS is read (it must be back by then). */
export const SETTLE_MS = 15_000;
/**
 * Allowed RSS over idle once settled. A cancelled import must give back what it took: its threads
 * end with their heaps, and its garbage on the main thread is collected when it ends
 * (server/imports/import-memory.ts). Measured on 2 cores: +17 and +25 MB after the cancel
 * (V8 keeps some heap pages, glibc some arena), against +80 MB before that collection, and
 * 691 MB 30 s after the cancel (peak 791 MB) in the report that asked for this check. 75 MB
 * leaves room for the noise of a shared machine while catching either.
 */
export const MARGIN_MB = 75;

export type MemoryCheck = {
  bombMb: number;
  inflatedGb: number;
  idleMb: number;
  peakMb: number;
  afterCancelMb: number;
  rowsValidated: number;
  passed: boolean;
  problem?: string;
};

/** Median RSS over `ms`, sampled every 250 ms: one number for "now", robust to a single spike. */
async function settledRss(rss: RssSampler, ms: number): Promise<number> {
  const samples: number[] = [];
  for (let t = 0; t < ms; t += 250) {
    rss.reset();
    samples.push(rss.peakMb());
    await sleep(250);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function hostileImportCheck(options: {
  baseUrl: string;
  key: string;
  lake: LakeClient;
  rss: RssSampler;
  work: string;
}): Promise<MemoryCheck> {
  const { lake, rss } = options;
  const file = path.join(options.work, "bomb.csv.gz");
  const bomb = await writeGzipBomb(file, BOMB_BYTES);
  await lake("POST", "/api/v1/lake/datasets", { name: "hostile", policy: "analytics" });
  const idleMb = await settledRss(rss, 3_000);
  rss.reset();
  const uploadId = await uploadFile({
    baseUrl: options.baseUrl,
    key: options.key,
    file,
    metadata: { dataset: "hostile" },
  });
  const job = await jobOfUpload(lake, uploadId);
  await waitForJob(lake, job.id, 120_000, (j) => j.rows_validated > 0 || j.status !== "running");
  await sleep(RUN_BEFORE_CANCEL_MS);
  const running = await lake<ImportJobView>("GET", `/api/v1/lake/import/jobs/${job.id}`);
  await lake("POST", `/api/v1/lake/import/jobs/${job.id}/cancel`);
  const ended = await waitForJob(lake, job.id, 60_000);
  const peakMb = rss.peakMb();
  await sleep(SETTLE_MS);
  const afterCancelMb = await settledRss(rss, 3_000);
  const problems = [
    running.status !== "running" || running.stage !== "validate"
      ? `the bomb was not in validation when cancelled (${running.status}/${running.stage ?? "-"}: ${running.error ?? ""})`
      : "",
    ended.status !== "cancelled" ? `the import ended ${ended.status}, not cancelled` : "",
    afterCancelMb > idleMb + MARGIN_MB
      ? `RSS ${afterCancelMb.toFixed(0)} MB after the cancel, over idle ${idleMb.toFixed(0)} + ${MARGIN_MB} MB`
      : "",
  ].filter(Boolean);
  return {
    bombMb: bomb.bytes / 1e6,
    inflatedGb: bomb.inflated / 1e9,
    idleMb,
    peakMb,
    afterCancelMb,
    rowsValidated: running.rows_validated,
    passed: problems.length === 0,
    problem: problems.join("; ") || undefined,
  };
}
