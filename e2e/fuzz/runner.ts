import { Agent, request } from "node:http";

import { judgeHttp } from "./checks";
import { type FuzzCase, type HttpCase, type Outcome, type Result } from "./fuzz-case";
import { runWsCase } from "./ws-client";

// Sends the cases with bounded concurrency and a deadline per request. node:http rather than
// fetch: fetch refuses TRACE and unknown methods, normalises the request target (the %ZZ and
// absolute-form cases would never leave), and adds headers of its own.

export type RunOptions = {
  baseURL: string;
  concurrency: number;
  /** A request without an answer after this long is a failure ("timeout"). */
  timeoutMs: number;
  /** Checked between cases: false stops the run (the server died). */
  alive: () => boolean;
  /** Stops starting new cases after this time (ms since epoch): the run stays bounded. */
  deadline: number;
  onProgress?: (done: number) => void;
};

function sendHttp(httpCase: HttpCase, options: RunOptions, agent: Agent): Promise<Outcome> {
  const url = new URL(options.baseURL);
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const settle = (
      status: Outcome["status"],
      body = Buffer.alloc(0),
      violations: string[] = [],
    ) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        status,
        ms: performance.now() - started,
        violations,
        excerpt: body.subarray(0, 300).toString("utf8"),
      });
    };
    let req: ReturnType<typeof request>;
    try {
      req = request({
        host: url.hostname,
        port: url.port,
        method: httpCase.method,
        path: httpCase.target,
        headers: {
          ...httpCase.headers,
          ...(httpCase.body ? { "content-length": String(httpCase.body.length) } : {}),
        },
        agent,
      });
    } catch (error) {
      // Node checks the path and headers before sending; a case it refuses tells nothing.
      return resolve({
        status: "unsent",
        ms: 0,
        violations: [],
        excerpt: (error as Error).message,
      });
    }
    const timer: NodeJS.Timeout = setTimeout(() => {
      settle("timeout", undefined, [`no answer within ${options.timeoutMs} ms`]);
      req.destroy();
    }, options.timeoutMs);
    req.on("error", (error) =>
      settle("no-answer", undefined, [
        `connection failed without an answer (${(error as NodeJS.ErrnoException).code ?? error.message})`,
      ]),
    );
    req.on("response", (res) => {
      // Kept whole: an error that echoes a 200 KB input is still an envelope to parse.
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        const status = res.statusCode ?? 0;
        settle(status, body, judgeHttp(httpCase, status, body));
      });
      res.on("error", () => settle("no-answer", undefined, ["answer cut off mid-body"]));
    });
    req.end(httpCase.body);
  });
}

async function pool(
  cases: readonly FuzzCase[],
  options: RunOptions,
  concurrency: number,
): Promise<Result[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const results: Result[] = [];
  let next = 0;
  const worker = async () => {
    while (next < cases.length && options.alive() && Date.now() < options.deadline) {
      const fuzzCase = cases[next++]!;
      const outcome =
        fuzzCase.kind === "ws"
          ? await runWsCase(options.baseURL, fuzzCase, options.timeoutMs)
          : await sendHttp(fuzzCase, options, agent);
      results.push({ fuzzCase, outcome });
      if (results.length % 1_000 === 0) options.onProgress?.(results.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return results;
}

const unanswered = (r: Result) =>
  r.outcome.status === "timeout" || r.outcome.status === "no-answer";

/**
 * Sends one case of each kind (door, route, input) that went unanswered again, alone: one that
 * hangs hangs again, one that was only slow on two busy cores answers now. The slow ones are kept
 * in the report but are not failures: load is not what this suite tests.
 */
async function confirmUnanswered(results: Result[], options: RunOptions): Promise<void> {
  const groups = new Map<string, Result[]>();
  for (const r of results.filter(unanswered)) {
    const key = `${r.fuzzCase.door} ${r.fuzzCase.route} ${r.fuzzCase.input}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const representatives = [...groups.values()].map((group) => group[0]!.fuzzCase);
  const again = await pool(
    representatives,
    { ...options, deadline: Infinity, onProgress: undefined },
    8,
  );
  for (const retry of again.filter((r) => !unanswered(r))) {
    const key = `${retry.fuzzCase.door} ${retry.fuzzCase.route} ${retry.fuzzCase.input}`;
    for (const r of groups.get(key) ?? []) {
      r.outcome.note = `slow under load: answered ${retry.outcome.status} in ${Math.round(retry.outcome.ms)} ms when sent alone`;
      r.outcome.violations = [];
    }
  }
}

/** Runs every case (until the deadline or the server's death) and returns what each got. */
export async function runCases(cases: readonly FuzzCase[], options: RunOptions): Promise<Result[]> {
  const results = await pool(cases, options, options.concurrency);
  if (options.alive()) await confirmUnanswered(results, options);
  return results;
}
