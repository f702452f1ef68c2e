import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect, test } from "@playwright/test";

import { metricNamesIn } from "./support/promql-names";

// The operations files in docs/operations against real peers: Debian's Prometheus scrapes the
// production server with the shipped configuration, evaluates the shipped alert rules, and runs
// every query of the shipped Grafana dashboard. CI installs Prometheus; elsewhere the spec skips
// without it.

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const PROMETHEUS_PORT = E2E_PORT + 13;
const PROMETHEUS = "/usr/bin/prometheus";
const OPERATIONS = path.join(process.cwd(), "docs/operations");
const hasPrometheus = spawnSync(PROMETHEUS, ["--version"]).status === 0;

type Dashboard = { panels: { title: string; targets?: { expr: string }[] }[] };
type RuleGroups = { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };

test.skip(
  !hasPrometheus && !process.env.CI,
  "Prometheus is not installed (apt-get install prometheus)",
);

let prometheus: ChildProcess | undefined;
let dataDir: string | undefined;
const api = `http://127.0.0.1:${PROMETHEUS_PORT}/api/v1`;

async function query<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${api}${pathAndQuery}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== "success") throw new Error(`${pathAndQuery}: ${body.error}`);
  return body.data;
}

/** An instant query's series. */
const instant = async (promql: string) =>
  (
    await query<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
      `/query?query=${encodeURIComponent(promql)}`,
    )
  ).result;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "lake-prometheus-"));
  // The shipped file, pointed at this suite's server; scraped and evaluated every second so the
  // test does not wait out the seed's 10 s.
  const config = readFileSync(path.join(OPERATIONS, "prometheus/prometheus.yml"), "utf8")
    .replace(/scrape_interval: 10s/, "scrape_interval: 1s")
    .replace(/evaluation_interval: 10s/, "evaluation_interval: 1s")
    .replace(/targets: \[[^\]]*\]/, `targets: ["127.0.0.1:${E2E_PORT}"]`);
  expect(config).toContain(`127.0.0.1:${E2E_PORT}`);
  writeFileSync(path.join(dataDir, "prometheus.yml"), config);
  copyFileSync(
    path.join(OPERATIONS, "prometheus/lake-alerts.yml"),
    path.join(dataDir, "lake-alerts.yml"),
  );
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${path.join(dataDir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dataDir, "tsdb")}`,
      `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`,
      "--storage.tsdb.retention.time=30d",
    ],
    { stdio: "ignore" },
  );
  await expect
    .poll(
      () =>
        fetch(`http://127.0.0.1:${PROMETHEUS_PORT}/-/ready`).then(
          (r) => r.status,
          () => 0,
        ),
      {
        timeout: 30_000,
      },
    )
    .toBe(200);
});

test.afterAll(async () => {
  prometheus?.kill("SIGKILL");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("Prometheus scrapes the Lake with the shipped configuration; every series names its instance", async ({
  request,
}) => {
  for (let i = 0; i < 5; i++) expect((await request.get("/health")).status()).toBe(200);
  await expect.poll(async () => (await instant("up"))[0]?.value[1], { timeout: 20_000 }).toBe("1");
  const requests = await instant('request_rate{endpoint="/health"}');
  expect(requests.length).toBeGreaterThan(0);
  for (const { metric } of requests) {
    expect(metric).toMatchObject({ service: "datapunk-lake", job: "datapunk-lake" });
    expect(metric.lake_instance).toMatch(/.+:\d+$/);
  }
});

test("every metric the Grafana dashboard and the alert rules use is one /metrics serves", async () => {
  const dashboard = JSON.parse(
    readFileSync(path.join(OPERATIONS, "grafana/lake-dashboard.json"), "utf8"),
  ) as Dashboard;
  const rules = readFileSync(path.join(OPERATIONS, "prometheus/lake-alerts.yml"), "utf8");
  const expressions = [
    ...dashboard.panels.flatMap((panel) => panel.targets?.map((target) => target.expr) ?? []),
    ...[...rules.matchAll(/expr: (\|\n(?:\s{10}.*\n)+|.*)/g)].map((match) => match[1]!),
  ];
  expect(expressions.length).toBeGreaterThan(20);
  const used = new Set(expressions.flatMap(metricNamesIn));
  used.delete("up"); // Prometheus's own, per target

  // Prometheus's view of what the target exposes: names with their type, series or not yet.
  await expect
    .poll(async () => Object.keys(await query<Record<string, unknown>>("/metadata")).length, {
      timeout: 20_000,
    })
    .toBeGreaterThan(20);
  const served = await query<Record<string, { type: string }[]>>("/metadata");
  const missing = [...used].filter((name) => {
    const base = name.replace(/_(bucket|sum|count)$/, "");
    return !(name in served) && !(base in served && served[base]![0]!.type === "histogram");
  });
  expect(missing, `used by the dashboard or the alert rules, not served by /metrics`).toEqual([]);
});

test("every dashboard query runs in Prometheus, and every alert rule evaluates without error", async () => {
  const dashboard = JSON.parse(
    readFileSync(path.join(OPERATIONS, "grafana/lake-dashboard.json"), "utf8"),
  ) as Dashboard;
  for (const panel of dashboard.panels) {
    for (const { expr } of panel.targets ?? []) {
      // Grafana's variables, as Grafana would fill them in.
      const promql = expr.replaceAll("$lake_instance", ".*").replaceAll("$__rate_interval", "1m");
      await expect(
        query(`/query?query=${encodeURIComponent(promql)}`),
        panel.title,
      ).resolves.toBeDefined();
    }
  }

  await expect
    .poll(
      async () => {
        const { groups } = await query<RuleGroups>("/rules");
        return groups.flatMap((group) => group.rules).filter((rule) => rule.health !== "ok");
      },
      { timeout: 20_000 },
    )
    .toEqual([]);
  const { groups } = await query<RuleGroups>("/rules");
  expect(groups.flatMap((group) => group.rules).length).toBeGreaterThanOrEqual(10);
});
