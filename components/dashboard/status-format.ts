const UNITS = [
  ["d", 86_400],
  ["h", 3_600],
  ["min", 60],
  ["s", 1],
] as const;

/** Two most significant units, dropping a zero second unit: "3 h 12 min", "2 d", "45 s". */
export function formatUptime(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  for (const [index, [unit, size]] of UNITS.entries()) {
    if (seconds < size && size > 1) continue;
    const major = Math.floor(seconds / size);
    const next = UNITS[index + 1];
    if (!next) return `${major} ${unit}`;
    const minor = Math.floor((seconds % size) / next[1]);
    return minor > 0 ? `${major} ${unit} ${minor} ${next[0]}` : `${major} ${unit}`;
  }
  return "0 s";
}

const latencyFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** Sub-10 ms latencies keep one decimal; above that the decimal is noise. */
export function formatLatency(ms: number): string {
  return `${latencyFormat.format(ms < 10 ? ms : Math.round(ms))} ms`;
}

const clockFormat = new Intl.DateTimeFormat("en", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

/** Local wall-clock time as HH:MM:SS. */
export function formatClock(timestamp: number): string {
  return clockFormat.format(timestamp);
}
