// `npm run bench:metrics`: how long Prometheus's scrape of /metrics takes once the Lake has many
// series — every route of its OpenAPI document called with each method, signed in and not, so
// request_rate and latency carry hundreds of endpoint × method × status labels — next to, in the
// same run, GET /health on the same server (the cheapest route: the cost of the HTTP stack alone)
// and a bare node:http server answering the same exposition text from memory (the cost of
// moving that many bytes). One connection, as Prometheus scrapes. It prints; it does not fail.
//
//   BENCH_DATABASE_URL  recreated every run (default postgresql://postgres@127.0.0.1:5432/lake_bench)
//   REDIS_URL           the Lake's Redis (default redis://127.0.0.1:6379 when it answers, else none)
//   BENCH_SECONDS       measured seconds per run (default 8; a 2 s warm-up comes before each)
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { cpus, tmpdir } from "node:os";
import path from "node:path";

import {
  chooseRedis,
  DEFAULT_BENCH_DATABASE_URL,
  loadLine,
  printBenchHeader,
  recreateDatabase,
} from "./bench-environment";
import { benchChildren } from "./child-process";
import { measure, type Measurement, type RunOptions } from "./measure";
import { table } from "./report";
import { createBenchApiKey } from "./seed";
import { BENCH_ADMIN_EMAIL, startBenchLake } from "./start-lake";

const config = {
  databaseUrl: process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL,
  redisUrl: process.env.REDIS_URL || undefined,
  run: {
    connections: 1,
    warmupSeconds: 2,
    durationSeconds: Number(process.env.BENCH_SECONDS || 8),
  } satisfies RunOptions,
};
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const children = benchChildren("bench:metrics");

/** Calls every documented route with each method, with and without the key: many label sets. */
async function spreadLabels(baseUrl: string, apiKey: string): Promise<number> {
  const openapi = (await (await fetch(`${baseUrl}/api/v1/lake/openapi.json`)).json()) as {
    paths: Record<string, unknown>;
  };
  let calls = 0;
  for (const template of Object.keys(openapi.paths)) {
    const url = `${baseUrl}${template.replace(/\{[^}]+\}/g, () => randomUUID())}`;
    for (const method of METHODS) {
      for (const signedIn of [false, true]) {
        const body = method === "GET" || method === "DELETE" ? undefined : "{}";
        const headers: Record<string, string> = {};
        if (signedIn) headers.authorization = `Bearer ${apiKey}`;
        if (body) headers["content-type"] = "application/json";
        await fetch(url, { method, headers, body })
          .then((response) => response.arrayBuffer())
          .catch(() => undefined);
        calls += 1;
      }
    }
  }
  return calls;
}

/** The exposition text, served from memory by a bare server: the floor for that many bytes. */
async function startStaticServer(text: string, contentType: string) {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": contentType });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function main() {
  const started = Date.now();
  printBenchHeader("bench:metrics");
  await recreateDatabase(config.databaseUrl);
  const redis = await chooseRedis(config.redisUrl);
  console.log(`redis:    ${redis.url ?? "none"} (${redis.reason})`);
  const built = spawnSync(process.execPath, ["scripts/ensure-build.mjs"], { stdio: "inherit" });
  if (built.status !== 0) throw new Error(`ensure-build failed (exit ${built.status})`);

  const dataDir = mkdtempSync(path.join(tmpdir(), "lake-bench-metrics-"));
  let bare: Awaited<ReturnType<typeof startStaticServer>> | undefined;
  try {
    const lake = await startBenchLake({
      children,
      databaseUrl: config.databaseUrl,
      redisUrl: redis.url,
      dataDir,
      redisPrefix: "lake-bench:",
    });
    const { key } = await createBenchApiKey({
      databaseUrl: config.databaseUrl,
      adminEmail: BENCH_ADMIN_EMAIL,
    });
    const calls = await spreadLabels(lake.baseUrl, key);
    const scrape = await fetch(`${lake.baseUrl}/metrics`);
    const text = await scrape.text();
    const series = text.split("\n").filter((line) => line && !line.startsWith("#")).length;
    const requestSeries = text.split("\n").filter((line) => /^(request_rate|latency_)/.test(line));
    console.log(
      `labels:   ${calls} calls over the OpenAPI routes → ${series} series in ${(text.length / 1024).toFixed(0)} KiB (${requestSeries.length} of request_rate and latency)`,
    );
    bare = await startStaticServer(text, scrape.headers.get("content-type") ?? "text/plain");

    const { connections, warmupSeconds, durationSeconds } = config.run;
    console.log(
      `\nautocannon: ${connections} connection (as Prometheus scrapes), ${warmupSeconds} s warm-up + ${durationSeconds} s measured per run\n`,
    );
    const runs: [string, string, Measurement][] = [];
    for (const [name, url, requestPath] of [
      ["GET /metrics (the Lake)", lake.baseUrl, "/metrics"],
      ["GET /health (the Lake)", lake.baseUrl, "/health"],
      ["same text, bare node:http", bare.url, "/metrics"],
    ] as const) {
      console.log(`  ${name}…`);
      const measured = await measure(
        url,
        {},
        { name, method: "GET", path: requestPath },
        config.run,
      );
      runs.push([name, requestPath, measured]);
    }
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      `\n${table(
        ["run", "req/s", "p50", "p99", "failed"],
        runs.map(([name, , m]) => [
          name,
          m.requestsPerSecond.toFixed(0),
          ms(m.p50),
          ms(m.p99),
          String(m.failures),
        ]),
      )}\n`,
    );
    const [scrapeRun, healthRun, bareRun] = runs.map(([, , m]) => m);
    console.log(
      `a scrape costs ${(scrapeRun!.p50 - healthRun!.p50).toFixed(1)} ms over the HTTP stack at p50 (${(scrapeRun!.p50 - bareRun!.p50).toFixed(1)} ms over serving the same bytes); at a 10 s interval that is ${((scrapeRun!.p50 / 10_000) * 100).toFixed(3)} % of one core`,
    );
    console.log(`load average ${loadLine()} at the end (${cpus().length} CPUs)`);
    console.log(`${((Date.now() - started) / 1000).toFixed(0)} s in all`);
    if (runs.some(([, , m]) => m.failures > 0)) process.exitCode = 1;
  } finally {
    await children.stop();
    await bare?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

children.run(main);
