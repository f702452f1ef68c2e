import { type ScenarioKey, SCENARIO_TITLES, type ServerName } from "./graphql-scenarios";
import { type Measurement } from "./measure";
import { table } from "./report";

export const TARGETS = {
  /** Lake GraphQL's req/s over PostGraphile's, on both scenarios. */
  overPostGraphile: 1.5,
  /** Lake GraphQL's req/s over Lake REST's, by id. */
  overRestById: 0.7,
  /** Lake GraphQL's p99, both scenarios. */
  p99Ms: 50,
};

export type Results = Record<ScenarioKey, Record<ServerName, Measurement>>;

const SERVERS: ServerName[] = ["Lake GraphQL", "Lake REST", "PostGraphile"];
const KEYS: ScenarioKey[] = ["byId", "page"];
const ms = (value: number) => `${value.toFixed(0)} ms`;
const verdict = (ok: boolean) => (ok ? "pass" : "MISS");

export function formatGraphqlResults(results: Results): string {
  const figures = table(
    ["scenario", "server", "req/s", "p50", "p99", "errors", "requests"],
    KEYS.flatMap((key) =>
      SERVERS.map((server, index) => {
        const m = results[key][server];
        return [
          index === 0 ? SCENARIO_TITLES[key] : "",
          // Padded: the table right-aligns every column but the first.
          server.padEnd(Math.max(...SERVERS.map((name) => name.length))),
          m.requestsPerSecond.toFixed(0),
          ms(m.p50),
          ms(m.p99),
          String(m.failures),
          String(m.total),
        ];
      }),
    ),
  );
  const ratio = (key: ScenarioKey, over: ServerName) =>
    results[key]["Lake GraphQL"].requestsPerSecond / results[key][over].requestsPerSecond;
  const ratioRow = (key: ScenarioKey, over: ServerName, target?: number) => {
    const value = ratio(key, over);
    return [
      `${SCENARIO_TITLES[key]}: Lake GraphQL / ${over} req/s`,
      `${value.toFixed(2)}×`,
      target === undefined ? "(no target)" : `≥ ${target}×`,
      target === undefined ? "" : verdict(value >= target),
    ];
  };
  const p99Row = (key: ScenarioKey) => {
    const { p99 } = results[key]["Lake GraphQL"];
    return [
      `${SCENARIO_TITLES[key]}: Lake GraphQL p99`,
      ms(p99),
      `≤ ${TARGETS.p99Ms} ms`,
      verdict(p99 <= TARGETS.p99Ms),
    ];
  };
  const targets = table(
    ["target", "figure", "wanted", "verdict"],
    [
      ratioRow("byId", "PostGraphile", TARGETS.overPostGraphile),
      ratioRow("page", "PostGraphile", TARGETS.overPostGraphile),
      ratioRow("byId", "Lake REST", TARGETS.overRestById),
      ratioRow("page", "Lake REST"),
      p99Row("byId"),
      p99Row("page"),
    ],
  );
  return `${figures}\n\n${targets}`;
}

/** Runs with failed requests: their figures measure failures, not the server. */
export function failedGraphqlRuns(results: Results): string[] {
  return KEYS.flatMap((key) =>
    SERVERS.filter((server) => results[key][server].failures > 0).map((server) => {
      const m = results[key][server];
      return `${SCENARIO_TITLES[key]} · ${server}: ${m.failures} of ${m.total} requests failed`;
    }),
  );
}
