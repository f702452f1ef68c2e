const count = new Intl.NumberFormat("en");
const decimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

export function formatCount(value: number): string {
  return count.format(value);
}

export function formatRows(value: number): string {
  return value === 1 ? "1 row" : `${count.format(value)} rows`;
}

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** Decimal units (1 MB = 10⁶ B), as file managers and the bench's MB/s use them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? Math.round(value) : decimal.format(value)} ${UNITS[unit]}`;
}

/** "12,345 rows/s", with the bytes per second while validating reads the file: "… · 4.2 MB/s". */
export function formatThroughput(rowsPerSecond: number | null, bytesPerSecond: number | null) {
  if (rowsPerSecond === null) return "—";
  const rows = `${count.format(Math.round(rowsPerSecond))} rows/s`;
  return bytesPerSecond === null ? rows : `${rows} · ${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds left as "45 s", "3 min 20 s", "1 h 5 min"; "—" when unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
}
