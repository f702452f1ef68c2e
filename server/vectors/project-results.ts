import { PCA } from "ml-pca";

import { authorize } from "../auth/authorize";
import { isAdmin, type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { type VectorType } from "../db/generated/enums";
import { parseVector, typeLiteral } from "./metrics";

export const MAX_PROJECTED = 200;

export type ProjectedPoint = { record_id: string; x: number; y: number };

/**
 * A 2-D picture of search results for the console: their embeddings of `type`, projected on
 * their first two principal components (ml-pca, NIPALS: two components without the 1536×1536
 * covariance matrix). Only records the caller may read are projected — owner_only is applied in
 * the SQL as in search — and the others are silently left out, as search would leave them out.
 */
export async function projectResults(options: {
  db: Database;
  principal: Principal;
  type: VectorType;
  recordIds: string[];
}): Promise<{ points: ProjectedPoint[] }> {
  authorize(options.principal, "read");
  const ids = [...new Set(options.recordIds)].slice(0, MAX_PROJECTED);
  if (ids.length === 0) return { points: [] };
  const admin = isAdmin(options.principal);
  const { rows } = await options.db.pool.query<{ id: string; v: string }>(
    `SELECT e.record_id AS id, e.embedding::text AS v
     FROM record_embeddings e JOIN records r ON r.id = e.record_id JOIN datasets d ON d.id = r.dataset_id
     WHERE e.type = ${typeLiteral(options.type)} AND e.record_id = ANY($1::uuid[])
       AND ($2::boolean OR r.owner_id = $3::uuid OR d.policy = 'analytics')
     ORDER BY array_position($1::uuid[], e.record_id)`,
    [ids, admin, options.principal.userId],
  );
  if (rows.length < 2) return { points: rows.map((row) => ({ record_id: row.id, x: 0, y: 0 })) };
  const data = rows.map((row) => parseVector(row.v));
  const pca = new PCA(data, { method: "NIPALS", nCompNIPALS: 2, center: true, scale: false });
  const projected = pca.predict(data, { nComponents: 2 }).to2DArray();
  const finite = (value: number | undefined) => (Number.isFinite(value) ? value! : 0);
  return {
    points: rows.map((row, index) => ({
      record_id: row.id,
      x: finite(projected[index]?.[0]),
      y: finite(projected[index]?.[1]),
    })),
  };
}
