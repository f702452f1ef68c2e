import { type FuzzCase, type Result } from "./fuzz-case";

// The run's summary: counts by status, door and route, then every distinct failure (route, input
// class, what went wrong) with its count and a command that replays its first example.

export type FailureGroup = {
  /** Door, input class and what went wrong: one line per probable cause. */
  signature: string;
  count: number;
  routes: string[];
  example: Result;
};

export type ReportInput = {
  results: Result[];
  requested: number;
  seed: number;
  seconds: number;
  baseURL: string;
  /** Credential values → the shell variable shown instead (a replay needs fresh ones anyway). */
  secrets: Record<string, string>;
  /** Problems with the server as a whole: it died, /health failed afterwards. */
  serverProblems: string[];
  serverLog: string;
};

const statusClass = (status: Result["outcome"]["status"]) =>
  typeof status === "number" ? `${Math.floor(status / 100)}xx` : status;

function table(rows: (string | number)[][], header: string[]): string {
  const all = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join("  "),
    )
    .join("\n");
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** Bash's $'…' quoting: every byte outside printable ASCII as \xHH, so NULs and bad UTF-8 survive. */
function shellQuote(bytes: Buffer, limit = 240): string {
  let out = "";
  for (const byte of bytes.subarray(0, limit)) {
    if (byte === 0x27 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return `$'${out}'${bytes.length > limit ? ` …(${bytes.length} bytes in all)` : ""}`;
}

/** A replay command for one case: curl for HTTP, a description of the frames for WebSocket. */
export function replay(
  fuzzCase: FuzzCase,
  baseURL: string,
  secrets: Record<string, string>,
): string {
  const hide = (value: string) =>
    Object.entries(secrets).reduce((v, [secret, name]) => v.replaceAll(secret, `$${name}`), value);
  const headers = Object.entries(fuzzCase.headers)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `-H "${k}: ${hide(v!).replaceAll('"', '\\"')}"`)
    .join(" ");
  const target = Buffer.from(fuzzCase.target);
  if (fuzzCase.kind === "ws") {
    const frames = Buffer.concat(fuzzCase.frames);
    return `websocket ${fuzzCase.method} ${shellQuote(target)} ${headers}, then frames ${frames.subarray(0, 48).toString("hex")}${frames.length > 48 ? `… (${frames.length} bytes)` : ""}, then {"type":"ping","id":"fuzz-end"}`;
  }
  // Absolute-form and `*` targets cannot be written as a URL: curl sends them with --request-target.
  const url = fuzzCase.target.startsWith("/")
    ? shellQuote(Buffer.concat([Buffer.from(baseURL), target]), 300)
    : `${baseURL}/ --request-target ${shellQuote(target)}`;
  const body = fuzzCase.body ? ` --data-binary ${shellQuote(fuzzCase.body)}` : "";
  return `curl -sS -m 5 --path-as-is -X ${fuzzCase.method} ${url} ${headers}${body}`;
}

/** Distinct lines the server logged at error level or as uncaught, with counts (ids removed). */
function serverErrors(log: string): [string, number][] {
  const counts = new Map<string, number>();
  for (const line of log.split("\n")) {
    let key: string | undefined;
    if (line.startsWith("{")) {
      // pino: one JSON object a line; Next prints uncaught errors as text.
      try {
        const entry = JSON.parse(line) as {
          level?: number;
          msg?: string;
          err?: { type?: string; message?: string };
        };
        if ((entry.level ?? 0) >= 50)
          key = `${entry.msg}: ${entry.err?.type ?? ""} ${entry.err?.message ?? ""}`;
      } catch {
        // a partial line: not an error entry
      }
    } else if (/^⨯|uncaught|^\w*Error: /i.test(line.trim())) {
      key = line.trim();
    }
    if (!key) continue;
    key = key
      .replace(/\s+/g, " ")
      .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "<uuid>")
      .slice(0, 220);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 40);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export function buildReport(input: ReportInput): { failures: FailureGroup[]; text: string } {
  const { results } = input;
  const failing = results.filter((r) => r.outcome.violations.length > 0);
  const failures = [
    ...countBy(
      failing,
      (r) =>
        `${r.fuzzCase.door} | ${r.fuzzCase.input} → ${r.outcome.status}: ${r.outcome.violations[0]}`,
    ),
  ]
    .map(([signature, group]) => ({
      signature,
      count: group.length,
      routes: [...new Set(group.map((r) => r.fuzzCase.route))].sort(),
      example: group[0]!,
    }))
    .sort((a, b) => a.signature.localeCompare(b.signature));

  const byStatus = [...countBy(results, (r) => String(r.outcome.status))].sort(([a], [b]) =>
    a.localeCompare(b),
  );
  const classes = ["2xx", "3xx", "4xx", "5xx", "timeout", "no-answer"];
  const routeRow = (name: string, group: Result[]) => {
    const ms = group.map((r) => r.outcome.ms).sort((a, b) => a - b);
    return [
      name,
      group.length,
      ...classes.map((c) => group.filter((r) => statusClass(r.outcome.status) === c).length),
      group.filter((r) => r.outcome.violations.length > 0).length,
      Math.round(percentile(ms, 0.5)),
      Math.round(percentile(ms, 0.95)),
    ];
  };
  const header = ["", "requests", ...classes, "failing", "p50 ms", "p95 ms"];
  const lines = [
    `Fuzz run: seed ${input.seed} (replay with FUZZ_SEED=${input.seed}), ${results.length} of ${input.requested} requests in ${input.seconds.toFixed(1)} s (${(results.length / input.seconds).toFixed(0)}/s)`,
    "",
    "By status:",
    table(
      byStatus.map(([status, group]) => [status, group.length]),
      ["status", "requests"],
    ),
    "",
    "By door:",
    table(
      [...countBy(results, (r) => r.fuzzCase.door)].map(([door, group]) => routeRow(door, group)),
      header,
    ),
    "",
    "By route:",
    table(
      [...countBy(results, (r) => `${r.fuzzCase.door} ${r.fuzzCase.route}`)]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([route, group]) => routeRow(route, group)),
      header,
    ),
    "",
    ...input.serverProblems.map((p) => `SERVER: ${p}`),
    `Distinct failures: ${failures.length} (${failing.length} failing requests); count, door | input class → answer, routes`,
    ...failures.map(
      (f) =>
        `  ${String(f.count).padStart(5)}  ${f.signature}\n         on ${f.routes.length} route(s): ${f.routes.slice(0, 4).join(", ")}${f.routes.length > 4 ? ", …" : ""}`,
    ),
    "",
    "First example of each (credentials as $LAKE_TOKEN, $LAKE_API_KEY, $LAKE_SESSION):",
    ...failures.map(
      (f) =>
        `  [${f.signature}] ${f.example.fuzzCase.route}, auth=${f.example.fuzzCase.auth}\n    ${replay(f.example.fuzzCase, input.baseURL, input.secrets)}\n    → ${f.example.outcome.excerpt.replace(/\s+/g, " ").slice(0, 200)}`,
    ),
    "",
    "Unanswered under load, answered when sent alone (not failures):",
    ...[
      ...countBy(
        results.filter((r) => r.outcome.note),
        (r) => `${r.fuzzCase.door} | ${r.fuzzCase.route} | ${r.fuzzCase.input}`,
      ),
    ].map(
      ([key, group]) => `  ${String(group.length).padStart(5)}  ${key}: ${group[0]!.outcome.note}`,
    ),
    "",
    "Server-side errors logged during the run (count, message):",
    ...serverErrors(input.serverLog).map(([line, n]) => `  ${String(n).padStart(5)}  ${line}`),
  ];
  return { failures, text: lines.join("\n") };
}

/** One line per case: door, route, input class, credential, answer, milliseconds, violations. */
export function resultsTable(results: Result[]): string {
  return results
    .map(({ fuzzCase: c, outcome: o }) =>
      [c.door, c.route, c.input, c.auth, o.status, Math.round(o.ms), o.violations.join("; ")].join(
        "\t",
      ),
    )
    .join("\n");
}
