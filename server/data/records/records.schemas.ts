import { z } from "zod";

import type { Record as RecordRow } from "../../db/generated/client";

/** A record's payload: any JSON object (a dataset's JSON Schema may narrow it). */
export const payloadSchema = z
  .record(z.string(), z.unknown())
  .describe(
    "The record's data: any JSON object; the dataset's JSON Schema, when set, must accept it.",
  );

export const recordIdSchema = z.uuid().describe("The record's id.");

/** What the data API returns for a record (snake_case, like the rest of the REST API). */
export const recordViewSchema = z.object({
  id: z.uuid(),
  dataset_id: z.uuid(),
  owner_id: z.uuid(),
  payload: z.record(z.string(), z.unknown()),
  archived: z.boolean(),
  archived_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type RecordView = z.infer<typeof recordViewSchema>;

export type RecordViewRow = Pick<
  RecordRow,
  "id" | "datasetId" | "ownerId" | "payload" | "archived" | "archivedAt" | "createdAt" | "updatedAt"
>;

export function toRecordView(row: RecordViewRow): RecordView {
  return {
    id: row.id,
    dataset_id: row.datasetId,
    owner_id: row.ownerId,
    payload: row.payload as Record<string, unknown>,
    archived: row.archived,
    archived_at: row.archivedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The columns behind RecordView: never the embedding or import bookkeeping. */
export const recordViewSelect = {
  id: true,
  datasetId: true,
  ownerId: true,
  payload: true,
  archived: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;
