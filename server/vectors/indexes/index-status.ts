import { recordAudit } from "../../audit/record-audit";
import { authorize, requireAdmin } from "../../auth/authorize";
import { type Principal } from "../../auth/principal";
import { type Database } from "../../db/client";
import type { VectorIndex } from "../../db/generated/client";
import { type VectorType } from "../../db/generated/enums";
import { type IndexStatus, type TuneIndexBody } from "../vectors.schemas";
import { countEmbeddings } from "./index.queries";
import { requestIndexTune } from "./request-index-tune";
import { type TuningOptions } from "./tuning-plan";

export function toIndexStatus(row: VectorIndex, rows: number): IndexStatus {
  return {
    type: row.type,
    metric: row.metric,
    method: row.method,
    status: row.status,
    exact: row.indexName === null,
    index_name: row.indexName,
    params: (row.params ?? {}) as Record<string, unknown>,
    recall_target: row.recallTarget,
    measured_recall: row.measuredRecall,
    rows,
    rows_at_build: Number(row.rowsAtBuild),
    size_bytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    progress: (row.progress ?? {}) as Record<string, unknown>,
    error: row.error,
    built_at: row.builtAt?.toISOString() ?? null,
  };
}

/** Every index's state, with the current number of embeddings of its type. Needs read. */
export async function listIndexStatus(options: {
  db: Database;
  principal: Principal;
}): Promise<{ items: IndexStatus[] }> {
  authorize(options.principal, "read");
  const rows = await options.db.prisma.vectorIndex.findMany({
    orderBy: [{ type: "asc" }, { metric: "asc" }],
  });
  const counts = new Map<VectorType, number>();
  for (const type of new Set(rows.map((row) => row.type))) {
    counts.set(type, await countEmbeddings(options.db, type));
  }
  return { items: rows.map((row) => toIndexStatus(row, counts.get(row.type) ?? 0)) };
}

/**
 * Starts a rebuild and tuning of one index in the background and answers its state (202).
 * Administrators with the write permission only (not an admin's read-only key): a build takes
 * CPU, memory and I/O from every user of the database, and the choice of method and recall target
 * changes every user's searches.
 */
export async function tuneVectorIndex(options: {
  db: Database;
  principal: Principal;
  request: TuneIndexBody;
  tuning?: Partial<TuningOptions>;
  ip?: string | null;
  requestId?: string | null;
}): Promise<IndexStatus> {
  requireAdmin(options.principal, "write");
  const state = await requestIndexTune({
    db: options.db,
    ...options.request,
    tuning: options.tuning,
  });
  await recordAudit(options.db, {
    actor: options.principal,
    action: "vector_index.tune",
    resource: { type: "vector_index", id: state.id },
    summary: { ...options.request },
    ip: options.ip,
    requestId: options.requestId,
  });
  return toIndexStatus(state, await countEmbeddings(options.db, state.type));
}
