import { z } from "zod";

import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { toRecordView, type RecordView } from "../../data/records/records.schemas";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { parseVector } from "../metrics";
import { VECTOR_DIMENSIONS, vectorTypeSchema } from "../vectors.schemas";
import { selectEmbeddingPage } from "./embeddings.queries";

export const listEmbeddingsQuerySchema = z.object({
  type: vectorTypeSchema,
  limit: z.number().int().min(1).max(100).default(20),
  after: z.uuid().nullish().describe("The last record id of the previous page."),
  withVectors: z.boolean().default(false),
});

export type EmbeddingListItem = {
  record_id: string;
  type: string;
  model: string;
  dimensions: number;
  /** Only when asked for: 1536 numbers each. */
  vector: number[] | null;
  created_at: string;
  updated_at: string;
  record: RecordView;
};

/**
 * Embeddings of one type with their records, a page at a time in record id order: those of the
 * non-archived records the caller may read — its own and the analytics datasets' (an admin's:
 * all), as similarity search sees them.
 */
export async function listEmbeddings(
  options: Pick<ServiceContext, "db" | "principal"> & { query: unknown },
): Promise<{ items: EmbeddingListItem[]; next_cursor: string | null }> {
  const { db, principal } = options;
  authorize(principal, "read");
  const parsed = listEmbeddingsQuerySchema.safeParse(options.query);
  if (!parsed.success) throw toAppError(parsed.error);
  const { type, limit, after, withVectors } = parsed.data;
  const rows = await selectEmbeddingPage(db, {
    type,
    visibleTo: isAdmin(principal) ? null : principal.userId,
    after: after ?? null,
    limit: limit + 1,
    withVectors,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({
      record_id: row.recordId,
      type: row.type,
      model: row.model,
      dimensions: VECTOR_DIMENSIONS,
      vector: row.vector === null ? null : parseVector(row.vector),
      created_at: row.createdAt.toISOString(),
      updated_at: row.updatedAt.toISOString(),
      record: toRecordView({
        ...row.record,
        payload: row.record.payload as never,
        archivedAt: row.record.archivedAt ? new Date(row.record.archivedAt) : null,
        createdAt: new Date(row.record.createdAt),
        updatedAt: new Date(row.record.updatedAt),
      }),
    })),
    next_cursor: rows.length > limit ? page.at(-1)!.recordId : null,
  };
}
