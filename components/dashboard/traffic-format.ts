const rateFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat("en");
const percentFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const timeFormat = new Intl.DateTimeFormat("en", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const timeWithSecondsFormat = new Intl.DateTimeFormat("en", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

export const formatRate = (perSecond: number) => `${rateFormat.format(perSecond)}/s`;
export const formatCount = (n: number) => countFormat.format(n);
export const formatPercent = (pct: number | null) =>
  pct === null ? "—" : `${percentFormat.format(pct)} %`;
export const formatTick = (t: number) => timeFormat.format(t);
export const formatInstant = (t: number) => timeWithSecondsFormat.format(t);

/** 0.4 ms, 12 ms, 1.3 s: request latencies span sub-millisecond cache hits to slow queries. */
export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 10) return `${percentFormat.format(ms)} ms`;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${percentFormat.format(ms / 1_000)} s`;
}

/** "1.2 M", "34.5 k", "999": big record counts at a glance (the exact figure is in the title). */
export function formatCompact(n: number): string {
  return new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

const TICK_STEPS_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120];

/** Ticks on round wall-clock times (11:05, 11:10…), the smallest step giving fewer than `count`. */
export function timeTicks([start, end]: [number, number], count = 6): number[] {
  const span = end - start;
  const minutes = TICK_STEPS_MINUTES.find((step) => span / (step * 60_000) < count) ?? 120;
  const step = minutes * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push(t);
  return ticks;
}
