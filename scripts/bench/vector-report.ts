// The vector bench's table and its target check.

export type VectorRow = {
  name: string;
  params: string;
  /** recall@10 on the held-out queries against exact search. */
  recall: number;
  /** What the tuner measured on its own sample (vectors from the table). */
  tunerRecall: number | null;
  p50: number;
  p95: number;
  qps: number;
  buildMs: number | null;
  tuneMs: number | null;
  sizeBytes: number | null;
};

export const TARGET_RECALL = 0.95;
export const TARGET_SPEEDUP = 10;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const secs = (value: number | null) => (value === null ? "—" : `${(value / 1000).toFixed(1)} s`);
const mb = (bytes: number | null) =>
  bytes === null ? "—" : `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export function formatVectorResults(
  rows: VectorRow[],
  setup: {
    rows: number;
    clusters: number;
    queries: number;
    clients: number;
    seconds: number;
    buildMemoryMb: number;
    loadMs: number;
  },
): string {
  const figures = table(
    [
      "search",
      "params",
      "recall@10",
      "tuner recall",
      "p50",
      "p95",
      `QPS ×${setup.clients}`,
      "build",
      "tune",
      "index size",
    ],
    rows.map((row) => [
      row.name,
      row.params,
      row.recall.toFixed(3),
      row.tunerRecall === null ? "—" : row.tunerRecall.toFixed(3),
      ms(row.p50),
      ms(row.p95),
      row.qps.toFixed(1),
      secs(row.buildMs),
      secs(row.tuneMs),
      mb(row.sizeBytes),
    ]),
  );
  const exact = rows.find((row) => row.name === "exact");
  const verdicts = rows
    .filter((row) => row !== exact && exact)
    .map((row) => {
      const speedup = exact!.p95 / row.p95;
      const ok = row.recall >= TARGET_RECALL && speedup >= TARGET_SPEEDUP;
      return `${ok ? "pass" : "MISS"}  ${row.name}: recall@10 ${row.recall.toFixed(3)} (≥ ${TARGET_RECALL}), p95 ${speedup.toFixed(1)}× below exact (≥ ${TARGET_SPEEDUP}×)`;
    });
  return [
    `${setup.rows} vectors × 1536 dims in ${setup.clusters} gaussian clusters, loaded in ${secs(setup.loadMs)}; ` +
      `${setup.queries} held-out queries near cluster centres; k = 10, cosine; ` +
      `p50/p95 single client; QPS with ${setup.clients} clients for ${setup.seconds} s; ` +
      `builds with maintenance_work_mem = ${setup.buildMemoryMb} MB.`,
    "",
    figures,
    "",
    `target: auto-tuned index at recall@10 ≥ ${TARGET_RECALL} with p95 at least ${TARGET_SPEEDUP}× below exact search`,
    ...verdicts,
  ].join("\n");
}
