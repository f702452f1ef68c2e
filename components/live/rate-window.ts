/** One second of the charts: how many events arrived, and how late they were on average. */
export type RatePoint = {
  /** Seconds before now (−60 … −1). */
  second: number;
  rate: number;
  /** Arrival − event_time, ms (null: nothing arrived that second). */
  eventLagMs: number | null;
  /** Arrival − stored_at, ms: the Lake's own delivery time. */
  storedLagMs: number | null;
};

type Bucket = {
  second: number;
  count: number;
  eventLag: number;
  eventLagCount: number;
  storedLag: number;
  storedLagCount: number;
};

const emptyBucket = (second: number): Bucket => ({
  second,
  count: 0,
  eventLag: 0,
  eventLagCount: 0,
  storedLag: 0,
  storedLagCount: 0,
});

/**
 * Per-second counts over a sliding window, in a ring of buckets: O(1) per event, however many
 * arrive, and nothing kept beyond the window. Lags below zero (a browser clock ahead of the
 * server's) count as zero.
 */
export class RateWindow {
  private readonly buckets: Bucket[];

  constructor(private readonly seconds = 60) {
    this.buckets = Array.from({ length: seconds + 1 }, () => emptyBucket(-1));
  }

  add(arrivedMs: number, eventTime: string, storedAt: string) {
    const second = Math.floor(arrivedMs / 1000);
    const index = second % this.buckets.length;
    let bucket = this.buckets[index]!;
    if (bucket.second !== second) {
      bucket = emptyBucket(second);
      this.buckets[index] = bucket;
    }
    bucket.count += 1;
    const eventMs = Date.parse(eventTime);
    if (!Number.isNaN(eventMs)) {
      bucket.eventLag += Math.max(0, arrivedMs - eventMs);
      bucket.eventLagCount += 1;
    }
    const storedMs = Date.parse(storedAt);
    if (!Number.isNaN(storedMs)) {
      bucket.storedLag += Math.max(0, arrivedMs - storedMs);
      bucket.storedLagCount += 1;
    }
  }

  /** The complete seconds of the window, oldest first (the current one is still filling). */
  series(nowMs: number): RatePoint[] {
    const now = Math.floor(nowMs / 1000);
    const points: RatePoint[] = [];
    for (let ago = this.seconds; ago >= 1; ago--) {
      const second = now - ago;
      const bucket = this.buckets[second % this.buckets.length]!;
      const current = bucket.second === second ? bucket : emptyBucket(second);
      points.push({
        second: -ago,
        rate: current.count,
        eventLagMs:
          current.eventLagCount > 0 ? Math.round(current.eventLag / current.eventLagCount) : null,
        storedLagMs:
          current.storedLagCount > 0
            ? Math.round(current.storedLag / current.storedLagCount)
            : null,
      });
    }
    return points;
  }

  reset() {
    for (let index = 0; index < this.buckets.length; index++) {
      this.buckets[index] = emptyBucket(-1);
    }
  }
}
