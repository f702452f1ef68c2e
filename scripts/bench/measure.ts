// One autocannon run per (scenario, server): a warm-up whose figures are dropped, then the run
// that counts. Both servers get byte-for-byte the same requests except for the credential.
import autocannon from "autocannon";

export type Scenario = {
  name: string;
  method: "GET" | "POST";
  /** Called for every request (e.g. a random id), or a fixed path. */
  path: string | (() => string);
  body?: unknown;
};

export type RunOptions = {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
};

export type Measurement = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  /** Non-2xx answers, connection errors and timeouts: a run with any is not a valid figure. */
  failures: number;
};

export async function measure(
  baseUrl: string,
  headers: Record<string, string>,
  scenario: Scenario,
  options: RunOptions,
): Promise<Measurement> {
  const { path } = scenario;
  const request: autocannon.Request = {
    method: scenario.method,
    path: typeof path === "string" ? path : path(),
    headers: {
      ...headers,
      ...(scenario.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(scenario.body === undefined ? {} : { body: JSON.stringify(scenario.body) }),
    ...(typeof path === "string" ? {} : { setupRequest: (req) => ({ ...req, path: path() }) }),
  };
  const run = (duration: number) =>
    autocannon({
      url: baseUrl,
      connections: options.connections,
      duration,
      requests: [request],
    });

  await run(options.warmupSeconds);
  const result = await run(options.durationSeconds);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
