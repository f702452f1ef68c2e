import { VECTOR_DIMENSIONS, type EmbeddingView } from "../vectors.schemas";
import { type EmbeddingRow } from "./embeddings.queries";

export function toEmbeddingView(row: EmbeddingRow): EmbeddingView {
  return {
    record_id: row.recordId,
    type: row.type,
    model: row.model,
    dimensions: VECTOR_DIMENSIONS,
    vector: row.vector,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
