import { expect, test } from "@playwright/test";
import WebSocket from "ws";

// The HTTP conventions every client relies on, against the production server.

test("GET /health answers without touching dependencies", async ({ request }) => {
  const response = await request.get("/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["x-request-id"]).toBeTruthy();
  expect(await response.json()).toMatchObject({ status: "ok", version: expect.any(String) });
});

test("GET /ready reports PostgreSQL and Redis with their latency", async ({ request }) => {
  const response = await request.get("/ready");
  expect(response.status()).toBe(200);
  const report = (await response.json()) as {
    status: string;
    checks: Record<string, { status: string }>;
  };
  expect(report.status).toBe("ok");
  expect(report.checks.database).toMatchObject({
    status: "up",
    critical: true,
    latencyMs: expect.any(Number),
  });
  expect(report.checks.redis).toMatchObject({
    status: process.env.REDIS_URL ? "up" : "not_configured",
    critical: false,
  });
});

test("GET /metrics exposes request_rate and latency by route pattern", async ({ request }) => {
  await request.get("/health");
  await request.get("/api/v1/lake/does-not-exist/123");
  const response = await request.get("/metrics");
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  expect(text).toContain("# TYPE request_rate counter");
  expect(text).toContain("# TYPE latency histogram");
  expect(text).toMatch(
    /request_rate\{service="datapunk-lake",endpoint="\/health",method="GET",status_code="200"\}/,
  );
  expect(text).toMatch(/endpoint="\/api\/v1\/lake\/\[\.\.\.path\]"/);
  expect(text).not.toContain("does-not-exist");
  for (const le of ["0.01", "0.05", "0.1", "0.5", "+Inf"])
    expect(text).toContain(`latency_bucket{le="${le}"`);
  expect(text).toContain("process_cpu_user_seconds_total");
});

test("unknown /api/v1/lake paths answer 404 in the envelope, for any method", async ({
  request,
}) => {
  for (const response of [
    await request.get("/api/v1/lake/nothing-here"),
    await request.post("/api/v1/lake/nothing/here", { data: { a: 1 } }),
    await request.delete("/api/v1/lake/nothing"),
  ]) {
    expect(response.status()).toBe(404);
    expect(response.headers()["x-request-id"]).toBeTruthy();
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["details", "error_code", "message", "timestamp"]);
    expect(body.error_code).toBe("not_found");
  }
});

test("a caller's X-Request-Id is echoed", async ({ request }) => {
  const response = await request.get("/health", { headers: { "X-Request-Id": "trace-42" } });
  expect(response.headers()["x-request-id"]).toBe("trace-42");
});

test("the stream path accepts WebSocket upgrades on the same port", async ({ baseURL }) => {
  const socket = new WebSocket(`${baseURL!.replace(/^http/, "ws")}/api/v1/lake/stream`);
  const messages: unknown[] = [];
  socket.on("message", (data: Buffer) => messages.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  socket.send(JSON.stringify({ type: "ping", id: 7 }));
  await expect.poll(() => messages.length).toBe(2);
  expect(messages).toEqual([
    expect.objectContaining({ type: "hello", server: "datapunk-lake" }),
    { type: "pong", id: 7 },
  ]);
  socket.close();
});

test("upgrades on other paths are refused at once, not left hanging", async ({ baseURL }) => {
  const socket = new WebSocket(`${baseURL!.replace(/^http/, "ws")}/api/v1/lake/elsewhere`);
  const status = await new Promise<number | string>((resolve) => {
    socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.once("error", (error) => resolve(error.message));
  });
  expect(status).toBe(404);
});
