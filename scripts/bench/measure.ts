// One autocannon run per (scenario, server): a warm-up whose figures are dropped, then the run
// that counts. Both servers get byte-for-byte the same requests except for the credential.
import autocannon from "autocannon";

export type Scenario = {
  name: string;
  method: "GET" | "POST";
  /** Called for every request (e.g. a random id), or a fixed path. */
  path: string | (() => string);
  /** A JSON body, or a function called for every request (e.g. a random id in GraphQL variables). */
  body?: unknown;
  /**
   * Whether a 2xx answer's body is a real answer: one that fails (a GraphQL `errors`, a `null`
   * where data was asked for) counts as a failure, not as a measured request.
   */
  verifyBody?: (body: string) => boolean;
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
  /**
   * Non-2xx answers, bodies refused by the scenario's verifyBody, connection errors and timeouts:
   * a run with any is not a valid figure.
   */
  failures: number;
};

function autocannonRequest(
  headers: Record<string, string>,
  scenario: Scenario,
): autocannon.Request {
  const { path, body } = scenario;
  const pathOf = () => (typeof path === "string" ? path : path());
  const bodyOf = () =>
    JSON.stringify(typeof body === "function" ? (body as () => unknown)() : body);
  const perRequest = typeof path === "function" || typeof body === "function";
  return {
    method: scenario.method,
    path: pathOf(),
    headers: {
      ...headers,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: bodyOf() }),
    ...(perRequest
      ? {
          setupRequest: (req) => ({
            ...req,
            path: pathOf(),
            ...(body === undefined ? {} : { body: bodyOf() }),
          }),
        }
      : {}),
  };
}

/** Sends the scenario's requests `amount` times, unmeasured (a cache warmed before a run). */
export async function sendEach(
  baseUrl: string,
  headers: Record<string, string>,
  scenario: Scenario,
  options: { amount: number; connections: number },
): Promise<void> {
  const result = await autocannon({
    url: baseUrl,
    connections: Math.min(options.connections, options.amount),
    amount: options.amount,
    requests: [autocannonRequest(headers, scenario)],
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${scenario.name}: ${failed} of ${options.amount} failed`);
}

export async function measure(
  baseUrl: string,
  headers: Record<string, string>,
  scenario: Scenario,
  options: RunOptions,
): Promise<Measurement> {
  const request = autocannonRequest(headers, scenario);
  const run = async (duration: number) => {
    // Counted here rather than with autocannon's verifyBody, which also sees non-2xx answers:
    // each failed request counts once.
    let refused = 0;
    const verifyBody = scenario.verifyBody;
    const result = await autocannon({
      url: baseUrl,
      connections: options.connections,
      duration,
      requests: [
        verifyBody
          ? {
              ...request,
              onResponse: (status, text) => {
                if (status >= 200 && status < 300 && !verifyBody(text)) refused += 1;
              },
            }
          : request,
      ],
    });
    return { result, refused };
  };

  await run(options.warmupSeconds);
  const { result, refused } = await run(options.durationSeconds);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failures: result.non2xx + refused + result.errors + result.timeouts,
  };
}
