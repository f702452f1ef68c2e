import { type VectorMetric, type VectorType } from "../db/generated/enums";

/**
 * pgvector's vocabulary per metric: the distance operator, and the operator class an index needs
 * for the planner to serve `ORDER BY embedding <op> $v` from it. SQL text is only ever built from
 * these fixed words.
 */
export const METRIC_SQL = {
  cosine: { operator: "<=>", opclass: "vector_cosine_ops" },
  l2: { operator: "<->", opclass: "vector_l2_ops" },
  inner_product: { operator: "<#>", opclass: "vector_ip_ops" },
} as const satisfies Record<VectorMetric, { operator: string; opclass: string }>;

/**
 * Higher is closer, whatever the metric: cosine 1 − d (1 identical, 0 orthogonal), L2 1/(1 + d)
 * (1 identical, towards 0 far away), inner product ⟨a,b⟩ (pgvector's `<#>` is its negative).
 */
export function scoreOf(metric: VectorMetric, distance: number): number {
  switch (metric) {
    case "cosine":
      return 1 - distance;
    case "l2":
      return 1 / (1 + distance);
    case "inner_product":
      return -distance;
  }
}

const TYPES: readonly VectorType[] = ["TEXT", "IMAGE", "AUDIO", "CUSTOM"];

/**
 * The type as an SQL literal. Partial indexes are declared `WHERE type = 'TEXT'`; the planner can
 * only match a query to one when the query's predicate is the same literal, so the type is
 * written into the statement — from this closed list, never from the request's text.
 */
export function typeLiteral(type: VectorType): string {
  if (!TYPES.includes(type)) throw new Error(`unknown vector type ${String(type)}`);
  return `'${type}'::"VectorType"`;
}

/** pgvector's text form, `[1,2,3]`; numbers are already checked finite. */
export function vectorLiteral(vector: readonly number[]): string {
  return `[${vector.join(",")}]`;
}

/** pgvector's text form back to numbers. */
export function parseVector(text: string): number[] {
  return text
    .slice(1, -1)
    .split(",")
    .map((part) => Number(part));
}
