import { type Measurement } from "./measure";

export const TARGET_RATIO = 0.5;
export const TARGET_P99_MS = 25;

export type Row = { scenario: string; lake: Measurement; raw: Measurement };

const ratioOf = (row: Row) => row.lake.requestsPerSecond / row.raw.requestsPerSecond;

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

const rate = (m: Measurement) => m.requestsPerSecond.toFixed(0);
const ms = (value: number) => `${value.toFixed(0)} ms`;

export function formatResults(rows: Row[]): string {
  const figures = table(
    ["scenario", "lake req/s", "p50", "p99", "raw req/s", "p50", "p99", "ratio"],
    rows.map((row) => [
      row.scenario,
      rate(row.lake),
      ms(row.lake.p50),
      ms(row.lake.p99),
      rate(row.raw),
      ms(row.raw.p50),
      ms(row.raw.p99),
      `${ratioOf(row).toFixed(2)}×`,
    ]),
  );
  const verdict = (ok: boolean) => (ok ? "pass" : "MISS");
  const targets = table(
    [
      "scenario",
      `ratio ≥ ${TARGET_RATIO}×`,
      `lake p99 < ${TARGET_P99_MS} ms`,
      "requests (lake / raw)",
    ],
    rows.map((row) => [
      row.scenario,
      verdict(ratioOf(row) >= TARGET_RATIO),
      verdict(row.lake.p99 < TARGET_P99_MS),
      `${row.lake.total} / ${row.raw.total}`,
    ]),
  );
  return `${figures}\n\ntarget: at least ${TARGET_RATIO}× the raw server's req/s, Lake p99 under ${TARGET_P99_MS} ms\n${targets}`;
}

/** Scenarios whose runs had errors: their figures measure failures, not the server. */
export function failedRuns(rows: Row[]): string[] {
  return rows.flatMap((row) =>
    (["lake", "raw"] as const)
      .filter((server) => row[server].failures > 0)
      .map(
        (server) =>
          `${row.scenario} (${server}): ${row[server].failures} of ${row[server].total} requests failed`,
      ),
  );
}
