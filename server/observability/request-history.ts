import { env } from "../env";
import { singleton } from "../singleton";
import { LatencySketch } from "./latency-sketch";

/** How far back the console's overview charts can look; older samples are overwritten. */
export const HISTORY_RETENTION_SECONDS = 6 * 3600;

/**
 * Probes, not traffic: a load balancer's health checks and Prometheus' scrape would make an idle
 * instance look busy on the overview. They still count in request_rate (/metrics). The console's
 * own polling (tRPC) never reaches recordRequest, so it needs no rule here.
 */
export const PROBE_ENDPOINTS: ReadonlySet<string> = new Set(["/health", "/ready", "/metrics"]);

export type RequestSample = {
  /** Start of the interval, epoch ms, a multiple of the interval. */
  t: number;
  /** Seconds the sample covers: the interval, less for the one still open. */
  seconds: number;
  requests: number;
  /** 4xx answers. */
  clientErrors: number;
  /** 5xx answers. */
  serverErrors: number;
  /** Latency quantiles in ms (within 1 %, see latency-sketch.ts); null without requests. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** The open interval: its figures still grow. */
  partial: boolean;
};

export type RequestHistoryOptions = {
  intervalSeconds: number;
  retentionSeconds: number;
  /** Epoch ms; a test's fake clock. */
  now?: () => number;
};

type Counts = { requests: number; clientErrors: number; serverErrors: number };

/**
 * This instance's request rate, errors and latency over the last hours, one sample per interval:
 * a ring of closed samples (fixed length, retention ÷ interval) and the open interval's counters
 * and sketch. Memory stays the same at any load; an observation is O(1).
 */
export class RequestHistory {
  private readonly intervalMs: number;
  private readonly ring: (RequestSample | undefined)[];
  private readonly now: () => number;
  private readonly sketch = new LatencySketch();
  private open: Counts = { requests: 0, clientErrors: 0, serverErrors: 0 };
  private openStart: number;
  /** Before this interval the process was not counting: no zeros are invented for it. */
  private readonly firstStart: number;

  constructor(options: RequestHistoryOptions) {
    this.intervalMs = options.intervalSeconds * 1000;
    this.ring = Array.from<RequestSample | undefined>({
      length: Math.ceil(options.retentionSeconds / options.intervalSeconds),
    });
    this.now = options.now ?? Date.now;
    this.openStart = this.startOf(this.now());
    this.firstStart = this.openStart;
  }

  get intervalSeconds(): number {
    return this.intervalMs / 1000;
  }

  observe(request: { endpoint: string; status: number; seconds: number }): void {
    if (PROBE_ENDPOINTS.has(request.endpoint)) return;
    this.roll();
    this.open.requests += 1;
    if (request.status >= 500) this.open.serverErrors += 1;
    else if (request.status >= 400) this.open.clientErrors += 1;
    this.sketch.add(request.seconds * 1000);
  }

  /**
   * Samples from `from` (epoch ms; the interval holding it is included) to now, oldest first, one
   * per interval with zeros where nothing was served, the open interval last and partial.
   */
  since(from: number): { now: number; intervalSeconds: number; points: RequestSample[] } {
    const now = this.roll();
    const oldest = this.openStart - (this.ring.length - 1) * this.intervalMs;
    const first = Math.max(this.startOf(from), oldest, this.firstStart);
    const points: RequestSample[] = [];
    for (let t = first; t < this.openStart; t += this.intervalMs) {
      const stored = this.ring[this.slotOf(t)];
      points.push(stored?.t === t ? stored : this.sample(t, this.intervalMs, EMPTY, null));
    }
    if (first <= this.openStart) {
      points.push({
        ...this.sample(this.openStart, now - this.openStart, this.open),
        partial: true,
      });
    }
    return { now, intervalSeconds: this.intervalSeconds, points };
  }

  /** Closes the open interval once the clock has left it; returns the time it used. */
  private roll(): number {
    const now = this.now();
    const start = this.startOf(now);
    // A clock that steps back keeps counting into the open interval.
    if (start <= this.openStart) return now;
    this.ring[this.slotOf(this.openStart)] = this.sample(
      this.openStart,
      this.intervalMs,
      this.open,
    );
    this.open = { requests: 0, clientErrors: 0, serverErrors: 0 };
    this.sketch.reset();
    this.openStart = start;
    return now;
  }

  private sample(
    t: number,
    ms: number,
    counts: Counts,
    sketch: LatencySketch | null = this.sketch,
  ): RequestSample {
    return {
      t,
      seconds: Math.max(ms, 0) / 1000,
      ...counts,
      p50Ms: sketch?.quantile(0.5) ?? null,
      p95Ms: sketch?.quantile(0.95) ?? null,
      p99Ms: sketch?.quantile(0.99) ?? null,
      partial: false,
    };
  }

  private startOf(time: number): number {
    return Math.floor(time / this.intervalMs) * this.intervalMs;
  }

  private slotOf(t: number): number {
    return Math.floor(t / this.intervalMs) % this.ring.length;
  }
}

const EMPTY: Counts = { requests: 0, clientErrors: 0, serverErrors: 0 };

/**
 * The process's history, on globalThis (server/singleton.ts): the custom server and Next's bundled
 * route handlers each load this module, and both must count into, and read, the same one.
 */
export const requestHistory = () =>
  singleton(
    "request-history",
    () =>
      new RequestHistory({
        intervalSeconds: env().LAKE_METRICS_SAMPLE_SECONDS,
        retentionSeconds: HISTORY_RETENTION_SECONDS,
      }),
  );
