import { type z } from "zod";

import { recordViewSchema } from "../records.schemas";

/**
 * A parsed `GET /api/v1/lake/data` query (parse-record-query.ts builds it from the query string).
 * Every string in it is data: the SQL builder sends them as `$n` parameters, never as SQL text.
 */
export type RecordQuery = {
  /** Dataset id or name; unset: every dataset the principal may read. */
  dataset?: string;
  /** Admins only (queryRecords enforces it). */
  owner?: string;
  archived: "false" | "true" | "all";
  /** ISO 8601 instants; bounds are exclusive. */
  createdAfter?: string;
  createdBefore?: string;
  updatedAfter?: string;
  updatedBefore?: string;
  /** ANDed together. */
  filters: PayloadFilter[];
  /** Always ends with `id` (the tie-breaker that makes keyset pagination exact). */
  order: SortTerm[];
  /** Unset: whole records. */
  select?: RecordSelection;
  limit: number;
  /** The sort values of the last row of the previous page, one per `order` term. */
  cursor?: string[];
  count: boolean;
};

/** Object keys from the payload root: each matches PAYLOAD_SEGMENT, at most MAX_PATH_DEPTH. */
export type PayloadPath = readonly string[];

export const PAYLOAD_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_PATH_DEPTH = 8;

export type PayloadCondition =
  /** Text form of the value (`payload #>> path`); `neq` needs the field present. */
  | { op: "eq" | "neq"; value: string }
  /** `numeric`: compare JSON numbers numerically; otherwise compare JSON strings bytewise. */
  | { op: "gt" | "gte" | "lt" | "lte"; value: string; numeric: boolean }
  | { op: "in"; values: string[] }
  /** JSON text, already validated: the payload contains it at the path. */
  | { op: "cs"; json: string }
  /** `*` is the wildcard; every other character is literal. */
  | { op: "like" | "ilike"; pattern: string }
  | { op: "is"; value: "null" | "true" | "false" };

export type PayloadFilter = {
  path: PayloadPath;
  /** `not.`: exactly the records the condition does not match, missing fields included. */
  negate: boolean;
  condition: PayloadCondition;
};

export const SORT_COLUMNS = ["created_at", "updated_at", "id"] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

export type SortTerm = { direction: "asc" | "desc" } & (
  { kind: "column"; column: SortColumn } | { kind: "payload"; path: PayloadPath }
);

export const RECORD_FIELDS = [
  "id",
  "dataset_id",
  "owner_id",
  "payload",
  "archived",
  "archived_at",
  "created_at",
  "updated_at",
] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

export type RecordSelection = {
  /** Top-level fields other than `payload`. */
  fields: Exclude<RecordField, "payload">[];
  /** `all`: the whole payload; paths: only these, nested as in the record; `none`: no payload. */
  payload: "all" | "none" | PayloadPath[];
};

/** One item of a query's answer: a record view, narrowed to the selected fields. */
export const recordQueryItemSchema = recordViewSchema.partial();
export type RecordQueryItem = z.infer<typeof recordQueryItemSchema>;
