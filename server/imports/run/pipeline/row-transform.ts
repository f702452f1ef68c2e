import { type ValidateFunction } from "ajv/dist/2020.js";

import { compileDatasetSchema } from "../../../data/datasets/payload-validator";
import { parseEmbeddingCell } from "./embedding-cell";
import { jsonbText, rowChecksum } from "./jsonb-text";
import { type RowError, type SourceRow } from "./source-row";

export type FieldType = "number" | "integer" | "boolean" | "null" | "string" | "other";

/**
 * Everything a transform needs, as plain data: it crosses to worker threads with each batch.
 * `coerce` says, per payload field, which JSON types a CSV text may become (from the dataset's
 * schema, or inferred by the validation pass when there is none).
 */
export type TransformPlan = {
  /** Only CSV values (all text) are coerced; JSON already carries types. */
  coerceText: boolean;
  schema: unknown;
  /** Changes whenever the schema does: keys the compiled validator's cache. */
  schemaKey: string;
  mapping: Record<string, string>;
  timestamps: string[];
  trim: boolean;
  coerce: Record<string, FieldType[]>;
  /** The source column holding each row's embedding: taken out of the payload, checked apart. */
  embedding?: string;
};

/**
 * `validate`: errors and counts only. `load`: also each accepted row's jsonb text and line (and
 * embedding). `copy`: the same rows in COPY's text format (`line\tjsonb\tembedding-or-\N\n`…),
 * UTF-8 encoded in one buffer of its own — threads hand it on by transfer, without a copy, and
 * the main thread never holds it as a (large, slowly collected) string.
 */
export type TransformMode = "validate" | "load" | "copy";

export type ColumnStats = Record<string, { numeric: boolean; boolean: boolean }>;

export type BatchResult = {
  /** Rows rejected in the batch. */
  rejected: number;
  /**
   * Why, row by row — from a source thread, only as many as the error report still lists
   * (source-thread.ts), so a file of millions of bad rows does not cross to the main thread.
   */
  errors: RowError[];
  /** Load mode: the accepted rows as jsonb text with their line, and embedding (pgvector text). */
  rows: { line: number; text: string; embedding?: string | null }[];
  /** Copy mode: the accepted rows in COPY's text format, for `COPY … (line, payload, embedding)`. */
  copy?: Uint8Array<ArrayBuffer>;
  accepted: number;
  /** Sum of rowChecksum over the accepted rows, as a decimal string (bigint does not clone). */
  checksum: string;
  /** Validate mode, CSV without a schema: what each column's values could all be. */
  columns: ColumnStats;
};

/** One row of a load in COPY's text format: line, jsonb text, pgvector text or \N (copy-rows.ts). */
export function copyLine(line: number, text: string, embedding: string | null | undefined): string {
  return `${line}\t${copyText(text)}\t${embedding ?? "\\N"}\n`;
}

/** COPY's text format: backslash, and the characters that end fields and rows, escaped. */
function copyText(text: string): string {
  return text.replace(/[\\\n\r\t]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t",
  );
}

const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
// jsonb cannot hold U+0000, and a lone surrogate is not Unicode text.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ZONE = /(Z|[+-]\d\d(:?\d\d)?)$/i;

const utf8 = new TextEncoder();

const validators = new Map<string, ValidateFunction>();
function validatorFor(plan: TransformPlan): ValidateFunction | undefined {
  if (plan.schema === null || plan.schema === undefined) return undefined;
  let validate = validators.get(plan.schemaKey);
  if (!validate) {
    validate = compileDatasetSchema(plan.schema);
    validators.clear();
    validators.set(plan.schemaKey, validate);
  }
  return validate;
}

/** CSV text → the JSON type the field allows: numbers, booleans, null for an empty cell. */
function coerceText(text: string, types: FieldType[] | undefined): unknown {
  if (text === "") return types && !types.includes("null") ? undefined : null;
  if (!types) return text;
  if ((types.includes("number") || types.includes("integer")) && NUMERIC.test(text)) {
    return Number(text);
  }
  if (types.includes("boolean") && BOOLEAN.test(text)) return text.toLowerCase() === "true";
  return text;
}

/** A timestamp as ISO 8601 UTC; one without a zone is taken as UTC, not the server's zone. */
function toUtc(value: unknown): string | undefined {
  if (typeof value === "number") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  if (typeof value !== "string") return undefined;
  let text = value.trim().replace(/^(\d{4}-\d\d-\d\d) (\d)/, "$1T$2");
  if (/T\d/.test(text) && !ZONE.test(text)) text += "Z";
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Strings (keys too) that jsonb refuses: checked on values, since JSON text escapes them. */
function holdsUnstorable(value: unknown): boolean {
  if (typeof value === "string") return UNSTORABLE.test(value);
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsUnstorable);
  return Object.entries(value).some(([key, item]) => UNSTORABLE.test(key) || holdsUnstorable(item));
}

function fieldName(pointer: string): string | null {
  const first = pointer.split("/")[1];
  return first === undefined ? null : first.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** Source values → the payload: column mapping, trimming, coercion, timestamps. */
function toPayload(
  plan: TransformPlan,
  values: Record<string, unknown>,
  line: number,
): { payload: Record<string, unknown> } | { error: RowError } {
  const payload: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(values)) {
    const field = plan.mapping[key] ?? key;
    if (field === "") continue;
    let value = plan.trim && typeof raw === "string" ? raw.trim() : raw;
    if (plan.coerceText && typeof value === "string") value = coerceText(value, plan.coerce[field]);
    if (value !== undefined) payload[field] = value;
  }
  for (const field of plan.timestamps) {
    const value = payload[field];
    if (value === undefined || value === null) continue;
    const utc = toUtc(value);
    if (utc === undefined) {
      return {
        error: { line, column: field, reason: `is not a timestamp: ${JSON.stringify(value)}` },
      };
    }
    payload[field] = utc;
  }
  return { payload };
}

function trackColumns(columns: ColumnStats, values: Record<string, unknown>, trim: boolean) {
  for (const [key, raw] of Object.entries(values)) {
    if (typeof raw !== "string") continue;
    const text = trim ? raw.trim() : raw;
    const stats = (columns[key] ??= { numeric: true, boolean: true });
    if (text === "") continue;
    if (stats.numeric && !NUMERIC.test(text)) stats.numeric = false;
    if (stats.boolean && !BOOLEAN.test(text)) stats.boolean = false;
  }
}

/**
 * Validates and transforms one batch: the same pure function for the validation pass (errors and
 * counts) and the load pass (jsonb text and checksums), on a worker thread or the main one.
 * Deterministic, so the load pass rejects exactly the rows validation rejected.
 */
export function transformBatch(
  plan: TransformPlan,
  rows: SourceRow[],
  mode: TransformMode,
): BatchResult {
  const validate = validatorFor(plan);
  const result: BatchResult = {
    rejected: 0,
    errors: [],
    rows: [],
    accepted: 0,
    checksum: "0",
    columns: {},
  };
  let checksum = 0n;
  const copy: string[] = [];
  for (const row of rows) {
    if ("error" in row) {
      result.errors.push(row.error);
      continue;
    }
    const { line } = row;
    let values = row.values;
    let embedding: string | null = null;
    if (plan.embedding !== undefined && Object.hasOwn(values, plan.embedding)) {
      const { [plan.embedding]: cell, ...rest } = values;
      values = rest;
      const parsed = parseEmbeddingCell(cell);
      if (parsed !== null && typeof parsed === "object") {
        result.errors.push({ line, column: plan.embedding, reason: parsed.reason });
        continue;
      }
      embedding = parsed;
    }
    if (mode === "validate" && plan.coerceText && !validate) {
      trackColumns(result.columns, values, plan.trim);
    }
    const built = toPayload(plan, values, line);
    if ("error" in built) {
      result.errors.push(built.error);
      continue;
    }
    if (validate && !validate(built.payload)) {
      const first = validate.errors?.[0];
      const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
      result.errors.push({
        line,
        column: missing ?? fieldName(first?.instancePath ?? ""),
        reason: (validate.errors ?? [])
          .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
          .join("; "),
      });
      continue;
    }
    let text: string;
    try {
      text = jsonbText(built.payload);
    } catch (error) {
      result.errors.push({ line, column: null, reason: (error as Error).message });
      continue;
    }
    if (holdsUnstorable(built.payload)) {
      result.errors.push({
        line,
        column: null,
        reason: "holds a NUL character or a lone surrogate, which PostgreSQL cannot store",
      });
      continue;
    }
    result.accepted += 1;
    if (mode === "load") result.rows.push({ line, text, embedding });
    else if (mode === "copy") copy.push(copyLine(line, text, embedding));
    if (mode !== "validate") checksum += rowChecksum(line, text);
  }
  result.checksum = checksum.toString();
  result.rejected = result.errors.length;
  if (mode === "copy") result.copy = utf8.encode(copy.join(""));
  return result;
}
