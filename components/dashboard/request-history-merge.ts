import type { RequestHistoryView, RequestSampleView } from "@/server/overview/overview.schemas";

/**
 * The points a poll brings joined to those already shown: the poll starts at the client's newest
 * point (it was partial, and is now complete or grown), so everything from its first point on is
 * replaced; what fell out of the window is dropped. A changed interval (the server restarted with
 * another LAKE_METRICS_SAMPLE_SECONDS) starts over.
 */
export function mergeHistory(
  previous: RequestHistoryView | undefined,
  answer: RequestHistoryView,
  windowSeconds: number,
): RequestHistoryView {
  const oldest = answer.now - windowSeconds * 1000;
  const kept =
    previous && previous.intervalSeconds === answer.intervalSeconds ? previous.points : [];
  const firstNew = answer.points[0]?.t ?? Number.POSITIVE_INFINITY;
  const points = [...kept.filter((point) => point.t < firstNew), ...answer.points].filter(
    // A point still counts while any of its interval lies inside the window.
    (point) => point.t + answer.intervalSeconds * 1000 > oldest,
  );
  return { ...answer, points };
}

export type TrafficPoint = {
  t: number;
  /** Requests per second over the interval (so far, for the open one). */
  rate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Share of requests answered 4xx / 5xx, in %; null without requests. */
  clientErrorPct: number | null;
  serverErrorPct: number | null;
  partial: boolean;
};

/** A sample as the charts draw it. A partial interval's rate is over at least 1 s (no spikes). */
export function toTrafficPoint(sample: RequestSampleView): TrafficPoint {
  const share = (n: number) => (sample.requests === 0 ? null : (100 * n) / sample.requests);
  return {
    t: sample.t,
    rate: sample.requests / Math.max(sample.seconds, 1),
    p50: sample.p50Ms,
    p95: sample.p95Ms,
    p99: sample.p99Ms,
    clientErrorPct: share(sample.clientErrors),
    serverErrorPct: share(sample.serverErrors),
    partial: sample.partial,
  };
}

export type TrafficTotals = {
  requests: number;
  clientErrors: number;
  serverErrors: number;
};

export function totalsOf(points: readonly RequestSampleView[]): TrafficTotals {
  return points.reduce(
    (sum, point) => ({
      requests: sum.requests + point.requests,
      clientErrors: sum.clientErrors + point.clientErrors,
      serverErrors: sum.serverErrors + point.serverErrors,
    }),
    { requests: 0, clientErrors: 0, serverErrors: 0 },
  );
}
