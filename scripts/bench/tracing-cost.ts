// bench:rest's tracing run: the same scenarios against a second Lake with OpenTelemetry on,
// sampling TRACING_SAMPLE_RATIO of the traces and exporting them to a sink in this process (a real
// OTLP/HTTP endpoint that reads every export and discards it), next to the Lake without tracing.
import { readFileSync } from "node:fs";

import { type Measurement } from "./measure";

/** What bench:rest runs the traced Lake with: 10 % of new traces recorded (issue 16's figure). */
export const TRACING_SAMPLE_RATIO = 0.1;
/** The target: tracing at that ratio costs at most this share of req/s. */
export const TARGET_TRACING_COST = 0.1;

/**
 * A run with the CPU time its server spent per request: on a shared machine req/s follows what
 * else runs, while CPU per request is the server's own work (warm-up included, as a share).
 */
export type CpuMeasurement = Measurement & { cpuMsPerRequest?: number };

export type TracingRow = { scenario: string; off: CpuMeasurement; on: CpuMeasurement };

/** A process's user + system CPU seconds (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** `run`, measured, with the CPU the server `pid` used meanwhile per request it answered. */
export async function withCpu(
  pid: number,
  run: () => Promise<Measurement>,
): Promise<CpuMeasurement> {
  const before = cpuSeconds(pid);
  const measured = await run();
  const after = cpuSeconds(pid);
  if (before === undefined || after === undefined || measured.total === 0) return measured;
  // The warm-up's requests count too: autocannon reports only the measured ones, so this
  // overstates the CPU per request by the same share for both servers.
  return { ...measured, cpuMsPerRequest: ((after - before) * 1000) / measured.total };
}

/**
 * Two runs as one figure: the mean rate and latencies. The runs of each server are taken in the
 * order off, on, on, off, so a load that drifts during the bench (a shared machine) weighs on both
 * alike.
 */
export function meanOf(a: CpuMeasurement, b: CpuMeasurement): CpuMeasurement {
  const cpu =
    a.cpuMsPerRequest !== undefined && b.cpuMsPerRequest !== undefined
      ? { cpuMsPerRequest: (a.cpuMsPerRequest + b.cpuMsPerRequest) / 2 }
      : {};
  return {
    ...cpu,
    requestsPerSecond: (a.requestsPerSecond + b.requestsPerSecond) / 2,
    p50: (a.p50 + b.p50) / 2,
    p99: (a.p99 + b.p99) / 2,
    total: a.total + b.total,
    failures: a.failures + b.failures,
  };
}

const costOf = (row: TracingRow) => 1 - row.on.requestsPerSecond / row.off.requestsPerSecond;
const cpu = (m: CpuMeasurement) =>
  m.cpuMsPerRequest === undefined ? "-" : `${m.cpuMsPerRequest.toFixed(2)} ms`;
const cpuCostOf = (row: TracingRow) =>
  row.on.cpuMsPerRequest === undefined || row.off.cpuMsPerRequest === undefined
    ? "-"
    : `${((row.on.cpuMsPerRequest / row.off.cpuMsPerRequest - 1) * 100).toFixed(1)} %`;

/** The env of the traced Lake. */
export function tracingEnv(endpoint: string): Record<string, string> {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
    OTEL_TRACES_SAMPLER_ARG: String(TRACING_SAMPLE_RATIO),
  };
}

export function formatTracingCost(
  rows: TracingRow[],
  sink: { requests: number; bytes: number },
): string {
  const header = [
    "scenario",
    "off req/s",
    "p99",
    "on req/s",
    "p99",
    "cost",
    "≤ 10 %",
    "CPU/req off",
    "on",
    "CPU cost",
  ];
  const lines = rows.map((row) => [
    row.scenario,
    row.off.requestsPerSecond.toFixed(0),
    `${row.off.p99.toFixed(0)} ms`,
    row.on.requestsPerSecond.toFixed(0),
    `${row.on.p99.toFixed(0)} ms`,
    `${(costOf(row) * 100).toFixed(1)} %`,
    costOf(row) <= TARGET_TRACING_COST ? "pass" : "MISS",
    cpu(row.off),
    cpu(row.on),
    cpuCostOf(row),
  ]);
  const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join(" | ");
  return [
    `tracing: OpenTelemetry on, ${TRACING_SAMPLE_RATIO * 100} % of traces sampled, OTLP/HTTP to a local sink; cost = req/s lost (two runs each, off/on/on/off)`,
    line(header),
    widths.map((w) => "-".repeat(w)).join("-|-"),
    ...lines.map(line),
    `sink: ${sink.requests} exports, ${(sink.bytes / 1024).toFixed(0)} KiB of spans received`,
  ].join("\n");
}
