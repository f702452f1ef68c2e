import { authorize } from "../auth/authorize";
import { isAdmin, type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { type VectorType } from "../db/generated/enums";
import { publishedSql } from "../data/records/published-records";
import { parseVector, typeLiteral } from "./metrics";
import { principalPlane } from "./principal-plane";

export const MAX_PROJECTED = 200;

export type ProjectedPoint = { record_id: string; x: number; y: number };

export type Projection = {
  points: ProjectedPoint[];
  /** Where the query falls on the results' plane; null when there was none to place. */
  query: { x: number; y: number } | null;
};

/**
 * A 2-D picture of search results for the console: their embeddings of `type`, projected on
 * their first two principal components (principal-plane.ts). The plane is fitted on the results alone and the query is placed on it,
 * so the picture shows how the results spread, not how far the query sits from all of them.
 * Only records the caller may read are projected — owner_only is applied in the SQL as in
 * search — and the others are silently left out, as search would leave them out.
 */
export async function projectResults(options: {
  db: Database;
  principal: Principal;
  type: VectorType;
  recordIds: string[];
  /** The query's vector, placed on the same plane. */
  queryVector?: readonly number[];
}): Promise<Projection> {
  authorize(options.principal, "read");
  const ids = [...new Set(options.recordIds)].slice(0, MAX_PROJECTED);
  const queryVector = options.queryVector ? [...options.queryVector] : undefined;
  if (ids.length === 0) return { points: [], query: queryVector ? { x: 0, y: 0 } : null };
  const admin = isAdmin(options.principal);
  const { rows } = await options.db.pool.query<{ id: string; v: string }>(
    `SELECT e.record_id AS id, e.embedding::text AS v
     FROM record_embeddings e JOIN records r ON r.id = e.record_id JOIN datasets d ON d.id = r.dataset_id
     WHERE e.type = ${typeLiteral(options.type)} AND e.record_id = ANY($1::uuid[])
       AND ($2::boolean OR r.owner_id = $3::uuid OR d.policy = 'analytics')
       AND ${publishedSql("r")}
     ORDER BY array_position($1::uuid[], e.record_id)`,
    [ids, admin, options.principal.userId],
  );
  const plane = principalPlane(rows.map((row) => parseVector(row.v)));
  const finite = (value: number) => (Number.isFinite(value) ? value : 0);
  const place = ([x, y]: [number, number]) => ({ x: finite(x), y: finite(y) });
  return {
    points: rows.map((row, index) => ({ record_id: row.id, ...place(plane.points[index]!) })),
    query: queryVector ? place(plane.project(queryVector)) : null,
  };
}
