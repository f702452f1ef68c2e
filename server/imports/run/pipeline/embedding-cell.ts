// Runs on the transform threads: plain code only (no zod, no Prisma). The limits are those of
// vectors.schemas.ts (VECTOR_DIMENSIONS, float4 range); imports-embeddings.int.test.ts checks that
// they agree.

/** Components of every embedding (the `vector(1536)` column). */
export const EMBEDDING_DIMENSIONS = 1536;
/** pgvector stores float4: a finite double beyond this would become ±Infinity there. */
export const EMBEDDING_FLOAT4_MAX = 3.4028234663852886e38;

/**
 * One row's embedding cell → pgvector's text form (`[0.1,0.2,…]`), `null` when the row has none
 * (a missing or empty cell, or JSON null), or `{ reason }` for the error report. CSV gives the
 * cell's text (a JSON array); NDJSON and JSON give the array itself, or such a text.
 */
export function parseEmbeddingCell(value: unknown): string | null | { reason: string } {
  if (value === undefined || value === null) return null;
  let vector: unknown = value;
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return null;
    try {
      vector = JSON.parse(text) as unknown;
    } catch {
      return { reason: `is not an embedding: not a JSON array of numbers (${preview(text)})` };
    }
  }
  if (!Array.isArray(vector)) {
    return { reason: "is not an embedding: not a JSON array of numbers" };
  }
  if (vector.length !== EMBEDDING_DIMENSIONS) {
    return {
      reason: `is not an embedding: it has ${vector.length} components, not ${EMBEDDING_DIMENSIONS}`,
    };
  }
  for (let i = 0; i < vector.length; i += 1) {
    const component: unknown = vector[i];
    if (
      typeof component !== "number" ||
      !Number.isFinite(component) ||
      Math.abs(component) > EMBEDDING_FLOAT4_MAX
    ) {
      return {
        reason: `is not an embedding: component ${i} (${preview(typeof component === "number" ? String(component) : (JSON.stringify(component) ?? String(component)))}) is not a finite number within float4 range`,
      };
    }
  }
  return `[${(vector as number[]).join(",")}]`;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
