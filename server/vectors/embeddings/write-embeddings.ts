import { type CacheServices } from "../../cache/cache-services";
import { type Database } from "../../db/client";
import { type VectorType } from "../../db/generated/enums";
import { type DbClient } from "../../db/transaction";
import { AppError } from "../../errors/app-error";
import { scheduleGrowthCheck } from "../indexes/growth-check";
import { vectorCache } from "../vector-cache";
import { vectorSchema } from "../vectors.schemas";
import { upsertEmbeddingRows, type EmbeddingInput } from "./embeddings.queries";

export type { EmbeddingInput };

/**
 * Writes embeddings inside the caller's transaction, for a writer that has the record ids (the
 * REST routes do; the import pipeline joins on its lines in SQL instead, imports.queries.ts):
 *
 * ```ts
 * await inTransaction(db, async (tx) => {
 *   const records = await tx.record.createManyAndReturn({ … });
 *   await writeEmbeddings({ prisma: tx }, rows); // rows: {recordId, type, model, vector}
 * });
 * await afterEmbeddingsChanged({ db, cache }, ["TEXT"]); // after the commit
 * ```
 *
 * Each vector is checked (1536 finite numbers; a 400 naming the row's index otherwise) and a
 * (record, type) given twice is refused, since one statement cannot write a row twice. No policy
 * check and no audit entry: the caller owns the records it writes and audits its own job.
 */
export async function writeEmbeddings(
  db: DbClient,
  rows: readonly EmbeddingInput[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const problem = vectorSchema.safeParse(row.vector);
    if (!problem.success) {
      throw new AppError("validation_failed", "An embedding vector is invalid.", {
        index,
        issues: problem.error.issues.slice(0, 5).map((issue) => ({
          path: issue.path.map(String).join("."),
          message: issue.message,
        })),
      });
    }
    const key = `${row.recordId}:${row.type}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new AppError("bad_request", "The same record and type appear twice.", {
        index,
        first_index: first,
      });
    }
    seen.set(key, index);
  });
  return upsertEmbeddingRows(db, rows);
}

/**
 * After embeddings were written or deleted and the transaction committed: cached searches become
 * stale, and the indexes of these types are re-checked for growth (debounced, in the background).
 */
export async function afterEmbeddingsChanged(
  services: { db: Database; cache: CacheServices },
  types: readonly VectorType[],
): Promise<void> {
  await vectorCache(services.cache).invalidate();
  scheduleGrowthCheck(services.db, types);
}
