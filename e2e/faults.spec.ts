import { spawn } from "node:child_process";
import { request as httpRequest, type IncomingMessage } from "node:http";

import { expect, test } from "@playwright/test";

import { startEmbeddedPostgres } from "../server/db/embedded-postgres";
import { startTcpProxy, throughProxy } from "../server/testing/tcp-proxy";
import { spawnLake } from "./support/spawn-lake";

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

// What a whole production process does when its dependencies fail, and when it is told to stop.
// Each test runs its own instance so it can cut that instance's database or Redis.

test("PostgreSQL going away: /ready answers 503 in the envelope, status says unavailable, then it recovers", async () => {
  // A database the test controls: the real server from DATABASE_URL, or an embedded one.
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
  const target = new URL(process.env.DATABASE_URL ?? embedded!.url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const lake = await spawnLake(
    { DATABASE_URL: throughProxy(target.toString(), proxy.port) },
    E2E_PORT + 1,
  );
  try {
    expect((await fetch(`${lake.baseURL}/ready`)).status).toBe(200);

    proxy.cut();
    const ready = await fetch(`${lake.baseURL}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).toBe("5");
    const envelope = (await ready.json()) as {
      error_code: string;
      details: { status: string; checks: { postgres: { status: string } } };
    };
    expect(envelope.error_code).toBe("database_unavailable");
    expect(envelope.details.status).toBe("unavailable");
    expect(envelope.details.checks.postgres.status).toBe("down");

    const api = await fetch(`${lake.baseURL}/api/trpc/system.status`);
    expect(api.status).toBe(200); // the status report itself still answers, saying "unavailable"
    expect(
      ((await api.json()) as { result: { data: { status: string } } }).result.data.status,
    ).toBe("unavailable");
    expect((await fetch(`${lake.baseURL}/health`)).status).toBe(200);

    proxy.restore();
    await expect
      .poll(async () => (await fetch(`${lake.baseURL}/ready`)).status, { timeout: 15_000 })
      .toBe(200);
  } finally {
    await lake.stop();
    await proxy.close();
    await embedded?.close();
  }
});

test("PostgreSQL cut mid-traffic at the REST door: quick 503s, back by itself, no acknowledged write lost", async () => {
  test.setTimeout(90_000); // a production start, then the traffic
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres();
  const target = new URL(process.env.DATABASE_URL ?? embedded!.url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const admin = { email: "admin@lake.test", password: "correct horse battery staple" };
  const lake = await spawnLake(
    {
      DATABASE_URL: throughProxy(target.toString(), proxy.port),
      // The admin the main e2e server created (or, on a fresh embedded database, this one).
      LAKE_ADMIN_EMAIL: admin.email,
      LAKE_ADMIN_PASSWORD: admin.password,
      LAKE_RATE_LIMIT_DATA_PER_HOUR: "100000",
    },
    E2E_PORT + 14,
  );
  let running = true;
  try {
    const token = await fetch(`${lake.baseURL}/api/v1/lake/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(admin),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const headers = { Authorization: `Bearer ${access_token}`, "content-type": "application/json" };
    const dataset = `outage_${Date.now()}`;
    const created = await fetch(`${lake.baseURL}/api/v1/lake/datasets`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: dataset }),
    });
    expect(created.status).toBe(201);

    // Writers that send each record with an Idempotency-Key and repeat it until acknowledged.
    const acknowledged: string[] = [];
    const written: number[] = [];
    const refusals: { status: number; code: string; retryAfter: string | null; ms: number }[] = [];
    const writer = async (w: number) => {
      for (let n = 0; running; n++) {
        const id = `${dataset}-w${w}-${n}`; // keys are per caller: unique per run
        for (;;) {
          const started = performance.now();
          const answer = await fetch(`${lake.baseURL}/api/v1/lake/data`, {
            method: "POST",
            headers: { ...headers, "idempotency-key": id },
            body: JSON.stringify({ dataset, payload: { id } }),
          });
          const body = (await answer.json()) as { error_code?: string };
          if (answer.status === 201) {
            acknowledged.push(id);
            written.push(performance.now());
            break;
          }
          refusals.push({
            status: answer.status,
            code: body.error_code ?? "",
            retryAfter: answer.headers.get("retry-after"),
            ms: performance.now() - started,
          });
          if (!running) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const traffic = Promise.all([0, 1, 2].map(writer));

    await new Promise((resolve) => setTimeout(resolve, 500));
    proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    proxy.restore();
    const restoredAt = performance.now();
    await expect.poll(() => written.some((at) => at > restoredAt), { timeout: 15_000 }).toBe(true);
    const recoveryMs = Math.min(...written.filter((at) => at > restoredAt)) - restoredAt;
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await traffic;

    // While cut: the documented 503, quickly — never a hang, never a 500.
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expect(refusal.status).toBe(503);
      // service_unavailable (Retry-After: 2): a transaction found no connection free in time.
      expect(["database_unavailable:5", "service_unavailable:2"]).toContain(
        `${refusal.code}:${refusal.retryAfter}`,
      );
    }
    expect(Math.max(...refusals.map((refusal) => refusal.ms))).toBeLessThan(3_500);

    // Every acknowledged record is there, once.
    const stored: string[] = [];
    for (let cursor: string | null = ""; cursor !== null;) {
      const page = await fetch(
        `${lake.baseURL}/api/v1/lake/data?dataset=${dataset}&limit=100${cursor ? `&cursor=${cursor}` : ""}`,
        { headers },
      );
      expect(page.status).toBe(200);
      const body = (await page.json()) as {
        items: { payload: { id: string } }[];
        next_cursor?: string | null;
      };
      stored.push(...body.items.map((record) => record.payload.id));
      cursor = body.next_cursor ?? null;
    }
    const lost = acknowledged.filter((id) => !stored.includes(id)).length;
    const duplicated = stored.length - new Set(stored).size;
    console.info(
      `recovery postgres-rest-e2e: ${(recoveryMs / 1000).toFixed(1)} s, lost ${lost}, duplicated ${duplicated}`,
    );
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(recoveryMs).toBeLessThan(5_000);
  } catch (error) {
    console.error(lake.output());
    throw error;
  } finally {
    running = false;
    await lake.stop();
    await proxy.close();
    await embedded?.close();
  }
});

test("Redis unreachable: the instance runs degraded on in-process fallbacks", async () => {
  const lake = await spawnLake({ REDIS_URL: "redis://127.0.0.1:1" }, E2E_PORT + 2);
  try {
    const ready = await fetch(`${lake.baseURL}/ready`);
    expect(ready.status).toBe(200);
    const report = (await ready.json()) as {
      status: string;
      checks: { redis: { status: string } };
    };
    expect(report.status).toBe("degraded");
    expect(report.checks.redis.status).toBe("down");
    expect((await fetch(`${lake.baseURL}/`)).status).toBe(200);
  } finally {
    await lake.stop();
  }
});

// Draining in-flight requests is tested on the mechanism itself (server/graceful-shutdown.test.ts).
test("SIGTERM: the process closes everything and exits 0 within the shutdown timeout", async () => {
  test.setTimeout(90_000); // a production start (from source: up to a minute on a busy machine)
  const lake = await spawnLake(
    { LAKE_SHUTDOWN_TIMEOUT_MS: "5000", LOG_LEVEL: "info" },
    E2E_PORT + 3,
  );
  const started = Date.now();
  const code = await lake.stop("SIGTERM");
  expect(code).toBe(0);
  expect(Date.now() - started).toBeLessThan(6_000);
  expect(lake.output()).toContain('"msg":"stopped"');
});

/** A POST whose body arrives in two parts: in flight from the first until `finish()`. */
function slowPost(url: string, body: string) {
  const half = Math.floor(body.length / 2);
  let answered: (response: { status: number; body: string }) => void;
  let failed: (error: Error) => void;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    answered = resolve;
    failed = reject;
  });
  const sent = httpRequest(url, {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
  });
  sent.on("response", (res: IncomingMessage) => {
    let text = "";
    res.on("data", (chunk: Buffer) => (text += chunk.toString()));
    res.on("end", () => answered({ status: res.statusCode ?? 0, body: text }));
  });
  sent.on("error", (error) => failed(error));
  sent.write(body.slice(0, half));
  sent.flushHeaders();
  return {
    finish: () => {
      sent.end(body.slice(half));
      return response;
    },
  };
}

test("SIGTERM: /ready answers 503 at once, while a request in flight still completes", async () => {
  test.setTimeout(90_000); // a production start, then the shutdown delay and the drain
  const lake = await spawnLake(
    { LAKE_SHUTDOWN_DELAY_MS: "1500", LAKE_SHUTDOWN_TIMEOUT_MS: "10000", LOG_LEVEL: "info" },
    E2E_PORT + 3, // free again: the test before has stopped its instance
  );
  const exited = (async () => {
    expect((await fetch(`${lake.baseURL}/ready`)).status).toBe(200);
    const inFlight = slowPost(
      `${lake.baseURL}/api/v1/lake/auth/token`,
      JSON.stringify({ api_key: "dpl_not_a_key_of_this_lake" }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // it has reached the server
    const signalled = Date.now();
    const exit = lake.stop("SIGTERM");

    // Not ready at once: load balancers stop sending requests here...
    await expect
      .poll(async () => (await fetch(`${lake.baseURL}/ready`)).status, { timeout: 1_000 })
      .toBe(503);
    expect(Date.now() - signalled).toBeLessThan(1_000);
    const ready = await fetch(`${lake.baseURL}/ready`);
    const envelope = (await ready.json()) as {
      error_code: string;
      details: { status: string; checks: { postgres: { status: string } } };
    };
    expect(envelope.error_code).toBe("service_unavailable");
    expect(envelope.details.status).toBe("draining");
    expect(envelope.details.checks.postgres.status).toBe("up");

    // ...then, after LAKE_SHUTDOWN_DELAY_MS, the port closes to new connections...
    await expect
      .poll(
        () =>
          fetch(`${lake.baseURL}/health`).then(
            () => "accepting",
            () => "closed",
          ),
        { timeout: 5_000, intervals: [100] },
      )
      .toBe("closed");
    // ...and the request still in flight is answered before the process ends.
    const answer = await inFlight.finish();
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ error_code: "unauthorized" });
    return exit;
  })();
  try {
    expect(await exited).toBe(0);
    expect(lake.output()).toContain('"timedOut":false');
  } finally {
    await lake.stop("SIGKILL");
  }
});

test("invalid configuration: exit code 1 and one line naming the variable", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, PORT: "not-a-port" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code).toBe(1);
  expect(stderr.trim().split("\n")).toEqual([
    expect.stringMatching(/^Invalid configuration: PORT /),
  ]);
});
