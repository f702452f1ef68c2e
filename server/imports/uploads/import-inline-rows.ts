import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";

import { Upload } from "@tus/server";
import { z } from "zod";

import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { getImportJob } from "../jobs/get-import-job";
import { type ImportJobView } from "../imports.schemas";
import { createUploadJob } from "./create-upload-job";
import { finishUpload } from "./upload-lifecycle";
import { uploadStore } from "./upload-store";

export const MAX_INLINE_ROWS = 1000;
export const MAX_INLINE_BYTES = 1024 * 1024;

export const inlineImportSchema = z
  .object({
    dataset: z.string().min(1).max(200),
    rows: z
      .array(z.record(z.string(), z.unknown()))
      .min(1, "Send at least one row.")
      .max(
        MAX_INLINE_ROWS,
        `At most ${MAX_INLINE_ROWS} rows inline: upload bigger files with tus.`,
      ),
    /** What an upload's metadata may say about its rows (imports.schemas.ts checks the values). */
    options: z
      .object({
        mapping: z.record(z.string(), z.string()).optional(),
        timestamps: z.string().optional(),
        trim: z.boolean().optional(),
        error_rate: z.number().optional(),
        embedding: z.string().optional(),
        embedding_type: z.string().optional(),
        embedding_model: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * A bounded batch of rows imported as an uploaded file would be: written to the upload store as
 * NDJSON and registered, finished and queued through the tus hooks' own functions — so the
 * dataset check, the in-flight limit, validation, the error rate, the error report and
 * exactly-once loading are the import pipeline's, and the job is followed like any other.
 */
export async function importInlineRows(
  options: ServiceContext & { input: unknown },
): Promise<ImportJobView> {
  const { db, cache, principal } = options;
  const parsed = inlineImportSchema.safeParse(options.input);
  if (!parsed.success) throw toAppError(parsed.error);
  const { dataset, rows, options: rowOptions = {} } = parsed.data;
  const body = Buffer.from(rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  if (body.length > MAX_INLINE_BYTES) {
    throw new AppError(
      "payload_too_large",
      `At most ${MAX_INLINE_BYTES} bytes of rows inline (these are ${body.length}): upload bigger files with tus.`,
      { limit: MAX_INLINE_BYTES, bytes: body.length },
    );
  }
  const metadata: Record<string, string> = {
    dataset,
    format: "ndjson",
    filename: "inline.ndjson",
    ...Object.fromEntries(
      Object.entries(rowOptions).map(([key, value]) => [
        key,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
  };
  // Never a UUID, as tus's names are not: /import/{id} tells jobs from uploads by that.
  const uploadId = randomBytes(16).toString("hex");
  await createUploadJob({ db, principal, uploadId, size: body.length, metadata });
  const store = uploadStore();
  await store.create(new Upload({ id: uploadId, size: body.length, offset: 0, metadata }));
  await store.write(Readable.from([body]), uploadId, 0);
  await finishUpload(db, cache, { id: uploadId, size: body.length });
  const job = await db.prisma.importJob.findUniqueOrThrow({ where: { uploadId } });
  return getImportJob({ db, principal, id: job.id });
}
