import { authorize } from "../../auth/authorize";
import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import { VectorType } from "../../db/generated/enums";
import { type EmbeddingCounts } from "../vectors.schemas";
import { countEmbeddingsByType } from "./index.queries";

/**
 * How many embeddings each vector type has — every type, including those with none yet and
 * those no index serves (the index list names only indexed ones). Needs read; the same totals
 * the index list already shows per index.
 */
export async function embeddingCounts(options: {
  db: Database;
  principal: Principal;
}): Promise<EmbeddingCounts> {
  authorize(options.principal, "read");
  const counts = await countEmbeddingsByType(options.db);
  return {
    items: Object.values(VectorType).map((type) => ({ type, count: counts.get(type) ?? 0 })),
  };
}
