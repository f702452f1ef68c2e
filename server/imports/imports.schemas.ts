import { z } from "zod";

import { vectorTypeSchema } from "../vectors/vectors.schemas";
import { CSV_DELIMITERS, type CsvDelimiter } from "./csv-delimiters";

/** What a file holds; `auto` decides from the filename, then from the first bytes. */
export const IMPORT_FORMATS = ["csv", "ndjson", "json", "auto"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export type ConcreteFormat = Exclude<ImportFormat, "auto">;

const DELIMITER_NAMES: Record<string, CsvDelimiter> = {
  comma: ",",
  semicolon: ";",
  tab: "\t",
  pipe: "|",
};

const flag = z.enum(["true", "false"]).transform((value) => value === "true");

const jsonText = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, context): z.output<T> => {
    try {
      return schema.parse(JSON.parse(text));
    } catch {
      context.addIssue({ code: "custom", message: "must be a JSON object of strings" });
      return z.NEVER;
    }
  });

/**
 * The tus `Upload-Metadata` of an import, as strings (tus metadata values are strings). Validated
 * when the upload is created, so a bad option is a 400 before any byte is stored.
 */
export const uploadMetadataSchema = z
  .object({
    dataset: z.string().min(1).max(200).describe("Target dataset, by id or name."),
    format: z.enum(IMPORT_FORMATS).default("auto"),
    filename: z.string().max(500).optional(),
    /** CSV only; unset: detected from the header among `,` `;` tab `|`. */
    delimiter: z
      .enum(["comma", "semicolon", "tab", "pipe", ...CSV_DELIMITERS])
      .transform((value): CsvDelimiter => DELIMITER_NAMES[value] ?? (value as CsvDelimiter))
      .optional(),
    /** `{"source column or key": "payload field"}`; a field named "" drops the column. */
    mapping: jsonText(z.record(z.string(), z.string().max(200))).optional(),
    /** Fields normalised to ISO 8601 UTC (also every field the schema declares `date-time`). */
    timestamps: z
      .string()
      .transform((list) =>
        list
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean),
      )
      .optional(),
    /** `true`: fail unless the file is gzip; unset: decompressed when it starts with gzip's magic. */
    gzip: flag.optional(),
    /** Trim whitespace around text values (default true). */
    trim: flag.optional(),
    /** Share of rows that may be rejected before the import fails (default LAKE_IMPORT_ERROR_RATE). */
    error_rate: z.coerce.number().min(0).max(1).optional(),
    /** `manual`: wait for `POST /import/jobs` once the upload completes (default: start at once). */
    start: z.enum(["auto", "manual"]).default("auto"),
    /** The source column (CSV) or field (JSON) holding each row's embedding: a JSON array of 1536 numbers. */
    embedding: z.string().min(1).max(200).optional(),
    /** The embedding's vector type (default TEXT). */
    embedding_type: vectorTypeSchema.optional(),
    /** The model that produced the vectors, e.g. "cortex/text-embedding-3-small"; required with `embedding`. */
    embedding_model: z.string().min(1).max(200).optional(),
    /** tus-js-client sends these; accepted and ignored. */
    filetype: z.string().optional(),
    name: z.string().optional(),
  })
  .strict()
  .superRefine((metadata, context) => {
    if (metadata.embedding !== undefined && metadata.embedding_model === undefined) {
      context.addIssue({
        code: "custom",
        path: ["embedding_model"],
        message: "is required with embedding (the model that produced the vectors)",
      });
    }
    for (const key of ["embedding_type", "embedding_model"] as const) {
      if (metadata.embedding === undefined && metadata[key] !== undefined) {
        context.addIssue({
          code: "custom",
          path: [key],
          message: "needs embedding (the column holding the vectors)",
        });
      }
    }
  });

/** What the pipeline needs of the upload's options, stored on the job (`options` column). */
export const importOptionsSchema = z.object({
  delimiter: z.enum(CSV_DELIMITERS).optional(),
  mapping: z.record(z.string(), z.string()).optional(),
  timestamps: z.array(z.string()).optional(),
  gzip: z.boolean().optional(),
  trim: z.boolean().default(true),
  errorRate: z.number().min(0).max(1).optional(),
  start: z.enum(["auto", "manual"]).default("auto"),
  /** Each row's embedding: taken out of this source column, written to record_embeddings. */
  embedding: z.object({ column: z.string(), type: vectorTypeSchema, model: z.string() }).optional(),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export function toImportOptions(metadata: z.infer<typeof uploadMetadataSchema>): ImportOptions {
  return importOptionsSchema.parse({
    delimiter: metadata.delimiter,
    mapping: metadata.mapping,
    timestamps: metadata.timestamps,
    gzip: metadata.gzip,
    trim: metadata.trim ?? true,
    errorRate: metadata.error_rate,
    start: metadata.start,
    embedding:
      metadata.embedding === undefined
        ? undefined
        : {
            column: metadata.embedding,
            type: metadata.embedding_type ?? "TEXT",
            model: metadata.embedding_model,
          },
  });
}

export const jobParamsSchema = z.object({
  id: z.uuid({ error: "must be an import job id (a UUID)" }),
});

export const startJobBodySchema = z
  .object({ upload_id: z.string().min(1).max(100).describe("The tus upload's id.") })
  .strict();

export const listJobsQuerySchema = z
  .object({
    status: z
      .enum(["uploading", "queued", "running", "succeeded", "failed", "cancelled"])
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const stageView = z.object({
  name: z.enum(["validate", "transform", "load"]),
  status: z.enum(["pending", "running", "succeeded", "failed", "skipped"]),
  attempts: z.number().int(),
  rows_in: z.number().int(),
  rows_out: z.number().int(),
  error: z.string().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});

/** An import job as every door shows it: progress, stages, throughput and ETA. */
export const importJobViewSchema = z.object({
  id: z.uuid(),
  upload_id: z.string(),
  dataset_id: z.uuid(),
  owner_id: z.uuid(),
  filename: z.string().nullable(),
  format: z.string(),
  status: z.enum(["uploading", "queued", "running", "succeeded", "failed", "cancelled"]),
  stage: z.enum(["validate", "transform", "load"]).nullable(),
  bytes_total: z.number().int().nullable(),
  bytes_received: z.number().int(),
  upload_complete: z.boolean(),
  rows_validated: z.number().int(),
  rows_transformed: z.number().int(),
  rows_accepted: z.number().int(),
  rows_rejected: z.number().int(),
  rows_loaded: z.number().int(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  throughput_rows_per_second: z.number().nullable(),
  /** Bytes of the file read per second while validating (null in the other stages). */
  bytes_per_second: z.number().nullable(),
  eta_seconds: z.number().nullable(),
  /** Bytes of the file the running validation has read (null outside it, or when not known). */
  bytes_read: z.number().int().nullable(),
  /** Whether retrying can help: cancelled, or failed for a reason that is not the file's. */
  retryable: z.boolean(),
  stages: z.array(stageView),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type ImportJobView = z.infer<typeof importJobViewSchema>;

export const importJobPageSchema = z.object({
  items: z.array(importJobViewSchema),
  next_cursor: z.string().nullable(),
});

/** One rejected row, as the error report lists it. */
export const rowErrorViewSchema = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  reason: z.string(),
});
export type RowErrorView = z.infer<typeof rowErrorViewSchema>;
