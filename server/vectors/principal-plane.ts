// The first two principal components of a few hundred high-dimensional vectors, for the console's
// scatter plot. Computed through the n×n Gram matrix of the centred rows (n ≤ 200 results, d =
// 1536): its leading eigenvectors give the same projection as the d×d covariance matrix's, at a
// fraction of the cost. ml-pca was tried first: its NIPALS returned NaN as soon as the results
// held duplicate vectors (a rank-deficient matrix, common among search hits) and took seconds
// on 200×1536 on this hardware, as did its SVD.

const MAX_ITERATIONS = 500;
const TOLERANCE = 1e-10;

export type Plane = {
  /** Each row's coordinates on the two components (0 where a component does not exist). */
  project(vector: readonly number[]): [number, number];
  points: [number, number][];
};

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

/** A deterministic start that no centred Gram matrix annihilates (unlike the all-ones vector). */
function startVector(n: number): number[] {
  let state = 0x9e3779b9;
  return Array.from({ length: n }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

/** The leading eigenpair of a symmetric positive semi-definite matrix, by power iteration. */
function leadingEigen(matrix: number[][]): { value: number; vector: number[] } {
  const n = matrix.length;
  let vector = startVector(n);
  let norm = Math.sqrt(dot(vector, vector));
  vector = vector.map((x) => x / norm);
  let value = 0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
    const next = matrix.map((row) => dot(row, vector));
    norm = Math.sqrt(dot(next, next));
    if (norm === 0) return { value: 0, vector };
    const normalised = next.map((x) => x / norm);
    const change = normalised.reduce((sum, x, i) => sum + Math.abs(x - vector[i]!), 0);
    vector = normalised;
    value = norm;
    if (change < TOLERANCE * n) break;
  }
  return { value, vector };
}

/**
 * Fits the plane of the two largest principal components of `rows` (centred, not scaled). Points
 * are the rows' scores; `project` places any other vector (the query) on the same plane.
 */
export function principalPlane(rows: readonly (readonly number[])[]): Plane {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  for (const row of rows) for (let j = 0; j < d; j += 1) mean[j]! += row[j]! / n;
  const centred = rows.map((row) => row.map((x, j) => x - mean[j]!));
  const gram = centred.map((a) => centred.map((b) => dot(a, b)));

  // Component k's axis is Xᵀu/√λ: a row's score is √λ·u_i, another vector's is (X·v)·u/√λ.
  const components: { value: number; vector: number[] }[] = [];
  let residual = gram;
  for (let k = 0; k < 2 && n > 1; k += 1) {
    const eigen = leadingEigen(residual);
    // Below this the "component" is rounding noise: identical rows, or fewer than k+1 distinct.
    if (eigen.value <= 1e-12 * Math.max(1, gram[0]?.[0] ?? 1)) break;
    components.push(eigen);
    residual = residual.map((row, i) =>
      row.map((x, j) => x - eigen.value * eigen.vector[i]! * eigen.vector[j]!),
    );
  }
  const coordinate = (k: number, i: number) => {
    const c = components[k];
    return c ? Math.sqrt(c.value) * c.vector[i]! : 0;
  };
  return {
    points: rows.map((_, i) => [coordinate(0, i), coordinate(1, i)]),
    project(vector) {
      const v = vector.map((x, j) => x - mean[j]!);
      const along = centred.map((row) => dot(row, v));
      const score = (k: number) => {
        const c = components[k];
        return c ? dot(along, c.vector) / Math.sqrt(c.value) : 0;
      };
      return [score(0), score(1)];
    },
  };
}
