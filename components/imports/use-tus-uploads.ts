"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { DetailedError, Upload } from "tus-js-client";

import type { ReadingChoice } from "./import-preview";
import type { ImportFormat } from "./import-types";

export const TUS_ENDPOINT = "/api/v1/lake/import";

/**
 * 50 MB per PATCH: large enough that a multi-GB file needs few requests (each counts against the
 * import rate limit), small enough that a dropped connection loses little and the browser never
 * holds more than one chunk of a file in memory.
 */
const CHUNK_SIZE = 50 * 1024 * 1024;

/**
 * The server refuses a sixth unfinished upload per user (LAKE_IMPORT_MAX_CONCURRENT_UPLOADS), and
 * a paused upload is still unfinished, so uploading and paused ones share these slots.
 */
export const MAX_CONCURRENT_UPLOADS = 5;

/** Exponential backoff between attempts of one request; after the last, the upload is failed. */
const RETRY_DELAYS = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];

export type UploadStatus = "waiting" | "uploading" | "paused" | "done" | "failed" | "cancelled";

export type FileUpload = {
  key: string;
  file: File;
  dataset: string;
  format: ImportFormat;
  /** Share of rows that may be rejected (0–1); null: the server's default. */
  errorRate: number | null;
  /** A column holding each row's vector, stored as the record's embedding; null: none. */
  embedding: EmbeddingColumn | null;
  /** Delimiter, mapping and header chosen in the preview; null: the server's defaults. */
  reading: ReadingChoice | null;
  status: UploadStatus;
  bytesSent: number;
  bytesTotal: number;
  /** It continued an upload an earlier page (or a dropped connection) left unfinished. */
  resumed: boolean;
  /** The tus upload's id, once the server created it; its import job is found by it. */
  uploadId: string | null;
  error: string | null;
};

export type EmbeddingColumn = { column: string; type: string; model: string };

export type NewUploads = {
  files: readonly File[];
  dataset: string;
  format: ImportFormat;
  errorRate: number | null;
  embedding: EmbeddingColumn | null;
  reading: ReadingChoice | null;
};

const holdsSlot = (status: UploadStatus) => status === "uploading" || status === "paused";

function uploadIdOf(url: string | null): string | null {
  if (!url) return null;
  return new URL(url, window.location.href).pathname.split("/").pop() || null;
}

/** The server's own explanation (the API's error envelope) when there is one. */
function messageOf(error: Error): string {
  const response = (error as DetailedError).originalResponse;
  if (!response) return "The connection to the Lake was lost. Try again to resume the upload.";
  try {
    const envelope = JSON.parse(response.getBody()) as { message?: unknown };
    if (typeof envelope.message === "string") return envelope.message;
  } catch {
    // Not the envelope (a proxy's page): fall through to the status.
  }
  return `The upload failed (HTTP ${response.getStatus()}).`;
}

/**
 * Transient failures are retried with backoff: no response (a dropped connection), a server
 * error, an offset conflict or a lock (tus's own advice), and the in-flight limit.
 */
function shouldRetry(error: DetailedError): boolean {
  const status = error.originalResponse?.getStatus() ?? 0;
  return status === 0 || status >= 500 || status === 409 || status === 423 || status === 429;
}

/**
 * The console's tus uploads: queued beyond the concurrency limit, chunked, retried with backoff,
 * pausable, and resumable after a reload — tus-js-client keeps each upload's URL in localStorage
 * under the file's fingerprint, so dropping the same file again continues where it stopped.
 */
export function useTusUploads() {
  const [uploads, setUploads] = useState<FileUpload[]>([]);
  const clients = useRef(new Map<string, Upload>());
  const started = useRef(new Set<string>());
  // Paused or cancelled before tus-js-client was loaded and the upload created: don't start it.
  const halted = useRef(new Set<string>());

  const update = useCallback((key: string, patch: Partial<FileUpload>) => {
    setUploads((list) => list.map((u) => (u.key === key ? { ...u, ...patch } : u)));
  }, []);

  const begin = useCallback(
    async (item: FileUpload) => {
      const { Upload } = await import("tus-js-client");
      const metadata: Record<string, string> = {
        dataset: item.dataset,
        format: item.format,
        filename: item.file.name,
      };
      if (item.errorRate !== null) metadata.error_rate = String(item.errorRate);
      if (item.embedding) {
        metadata.embedding = item.embedding.column;
        metadata.embedding_type = item.embedding.type;
        metadata.embedding_model = item.embedding.model;
      }
      if (item.reading?.delimiter) metadata.delimiter = item.reading.delimiter;
      if (item.reading?.mapping) metadata.mapping = item.reading.mapping;
      // A file without a header goes up behind the header line the preview named its columns
      // in: a File again (not a bare Blob), so tus-js-client's fingerprint — name, size, date —
      // still finds it to resume.
      const body = item.reading?.header
        ? new File([item.reading.header, item.file], item.file.name, {
            type: item.file.type,
            lastModified: item.file.lastModified,
          })
        : item.file;
      const upload: Upload = new Upload(body, {
        endpoint: TUS_ENDPOINT,
        chunkSize: CHUNK_SIZE,
        retryDelays: RETRY_DELAYS,
        metadata,
        // A finished file dropped again is a new import, not a resume of the old one.
        removeFingerprintOnSuccess: true,
        onShouldRetry: (error) => shouldRetry(error),
        onUploadUrlAvailable: () => update(item.key, { uploadId: uploadIdOf(upload.url) }),
        onProgress: (bytesSent, bytesTotal) => update(item.key, { bytesSent, bytesTotal }),
        onSuccess: () => update(item.key, { status: "done", bytesSent: body.size }),
        onError: (error) => update(item.key, { status: "failed", error: messageOf(error) }),
      });
      clients.current.set(item.key, upload);
      // Resume only an upload meant for the same dataset and format: the server took its
      // options when it was created.
      const previous = (await upload.findPreviousUploads()).find(
        (p) =>
          p.metadata.dataset === item.dataset &&
          p.metadata.format === item.format &&
          p.metadata.delimiter === metadata.delimiter &&
          p.metadata.mapping === metadata.mapping,
      );
      if (previous) {
        upload.resumeFromPreviousUpload(previous);
        update(item.key, { resumed: true });
      }
      if (!halted.current.has(item.key)) upload.start();
    },
    [update],
  );

  // Starts waiting uploads while slots are free.
  useEffect(() => {
    let free = MAX_CONCURRENT_UPLOADS - uploads.filter((u) => holdsSlot(u.status)).length;
    for (const item of uploads) {
      if (free <= 0) break;
      if (item.status !== "waiting" || started.current.has(item.key)) continue;
      started.current.add(item.key);
      free -= 1;
      update(item.key, { status: "uploading" });
      begin(item).catch((error: unknown) =>
        update(item.key, {
          status: "failed",
          error: error instanceof Error ? error.message : "The upload could not start.",
        }),
      );
    }
  }, [uploads, begin, update]);

  // Back online: failed uploads resume from the server's offset.
  useEffect(() => {
    const resumeAll = () => {
      for (const item of uploads) {
        const client = clients.current.get(item.key);
        if (item.status === "failed" && client?.url) {
          update(item.key, { status: "uploading", error: null });
          client.start();
        }
      }
    };
    window.addEventListener("online", resumeAll);
    return () => window.removeEventListener("online", resumeAll);
  }, [uploads, update]);

  // Leaving the page stops requests in flight; the stored URLs let a later visit resume.
  useEffect(() => {
    const all = clients.current;
    return () => {
      for (const client of all.values()) void client.abort();
    };
  }, []);

  const add = useCallback(
    ({ files, dataset, format, errorRate, embedding, reading }: NewUploads) => {
      const added = files.map((file): FileUpload => ({
        key: crypto.randomUUID(),
        file,
        dataset,
        format,
        errorRate,
        embedding,
        reading,
        status: "waiting",
        bytesSent: 0,
        bytesTotal: file.size + new Blob([reading?.header ?? ""]).size,
        resumed: false,
        uploadId: null,
        error: null,
      }));
      setUploads((list) => [...added, ...list]);
    },
    [],
  );

  const pause = useCallback(
    (key: string) => {
      halted.current.add(key);
      void clients.current.get(key)?.abort();
      update(key, { status: "paused" });
    },
    [update],
  );

  /** Continues a paused or failed upload from the offset the server has. */
  const resume = useCallback(
    (key: string) => {
      const client = clients.current.get(key);
      if (!client) return;
      halted.current.delete(key);
      update(key, { status: "uploading", error: null });
      client.start();
    },
    [update],
  );

  /** Stops the upload and deletes what the server has (tus termination cancels its job). */
  const cancel = useCallback(
    async (key: string) => {
      const client = clients.current.get(key);
      halted.current.add(key);
      update(key, { status: "cancelled", error: null });
      await client?.abort(true).catch(() => undefined);
      clients.current.delete(key);
    },
    [update],
  );

  const dismiss = useCallback((key: string) => {
    clients.current.delete(key);
    setUploads((list) => list.filter((u) => u.key !== key));
  }, []);

  return { uploads, add, pause, resume, cancel, dismiss };
}
