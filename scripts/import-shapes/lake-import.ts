// Uploading a file to the Lake through tus, as a Node client would, and following its job.
import { createReadStream, statSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import * as tus from "tus-js-client";

import { type ImportJobView } from "../../server/imports/imports.schemas";
import { type LakeClient } from "../bench/seed";

const CHUNK_BYTES = 50 * 1024 * 1024;

/** Streams `file` to the import endpoint; resolves with the upload id once the last byte is in. */
export function uploadFile(options: {
  baseUrl: string;
  key: string;
  file: string;
  metadata: Record<string, string>;
}): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const client: tus.Upload = new tus.Upload(createReadStream(options.file), {
      endpoint: `${options.baseUrl}/api/v1/lake/import`,
      headers: { authorization: `Bearer ${options.key}` },
      uploadSize: statSync(options.file).size,
      chunkSize: CHUNK_BYTES,
      retryDelays: [500, 1000, 2000],
      metadata: { filename: path.basename(options.file), ...options.metadata },
      onError: reject,
      onSuccess: () => resolve(new URL(client.url!).pathname.split("/").pop()!),
    });
    client.start();
  });
}

/** The job of an upload, found in the owner's history. */
export async function jobOfUpload(lake: LakeClient, uploadId: string): Promise<ImportJobView> {
  const { items } = await lake<{ items: ImportJobView[] }>(
    "GET",
    "/api/v1/lake/import/jobs?limit=100",
  );
  const found = items.find((job) => job.upload_id === uploadId);
  if (!found) throw new Error(`no import job for upload ${uploadId}`);
  return found;
}

/** Polls the job until `done` says so (default: it has ended), or fails after `timeoutMs`. */
export async function waitForJob(
  lake: LakeClient,
  jobId: string,
  timeoutMs: number,
  done: (job: ImportJobView) => boolean = (job) =>
    ["succeeded", "failed", "cancelled"].includes(job.status),
): Promise<ImportJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await lake<ImportJobView>("GET", `/api/v1/lake/import/jobs/${jobId}`);
    if (done(job)) return job;
    if (Date.now() > deadline) {
      throw new Error(`job ${jobId} still ${job.status}/${job.stage ?? "-"} after ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}
