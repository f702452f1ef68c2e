/**
 * Latency quantiles in fixed memory, whatever the load: durations go into logarithmic buckets
 * (DDSketch's mapping), so any quantile is answered within RELATIVE_ACCURACY of the true value —
 * a p99 of 250 ms reads as 247.5–252.5 ms — from one counter array that never grows. A reservoir
 * would bound memory too, but its p99 depends on luck under heavy load; buckets do not.
 */
export const RELATIVE_ACCURACY = 0.01;

const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Durations below this (µs-fast answers) count as this; above MAX_MS as MAX_MS. */
const MIN_MS = 0.01;
const MAX_MS = 10 * 60_000;
const OFFSET = Math.ceil(Math.log(MIN_MS) / LOG_GAMMA);
/** ≈ 900 buckets, 3.6 KB: from 10 µs to 10 min at 1 %. */
const BUCKETS = Math.ceil(Math.log(MAX_MS) / LOG_GAMMA) - OFFSET + 1;

function bucketOf(ms: number): number {
  const clamped = Math.min(Math.max(ms, MIN_MS), MAX_MS);
  return Math.ceil(Math.log(clamped) / LOG_GAMMA) - OFFSET;
}

/** The value that is within RELATIVE_ACCURACY of every duration in bucket `index`. */
function valueOf(index: number): number {
  return (2 * GAMMA ** (index + OFFSET)) / (GAMMA + 1);
}

export class LatencySketch {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;

  get count(): number {
    return this.total;
  }

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.counts[bucketOf(ms)]! += 1;
    this.total += 1;
  }

  /** The q-quantile (0–1) in ms, or null when nothing was added. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    // The rank of the q-quantile among the sorted durations, 0-based ("lower" definition).
    const rank = Math.floor(q * (this.total - 1));
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.counts[index]!;
      if (seen > rank) return Math.min(Math.max(valueOf(index), MIN_MS), MAX_MS);
    }
    return MAX_MS;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
