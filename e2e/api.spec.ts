import { expect, test, type APIRequestContext } from "@playwright/test";
import WebSocket from "ws";

import { submitPassword } from "./support/console-session";

// The HTTP conventions every client relies on, against the production server.

test("GET /health answers without touching dependencies", async ({ request }) => {
  const response = await request.get("/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["x-request-id"]).toBeTruthy();
  expect(await response.json()).toMatchObject({ status: "ok", version: expect.any(String) });
});

test("GET /ready reports postgres, redis, then the optional dependencies, by the seed's names", async ({
  request,
}) => {
  const response = await request.get("/ready");
  expect(response.status()).toBe(200);
  const report = (await response.json()) as {
    status: string;
    checks: Record<string, { status: string }>;
  };
  expect(report.status).toBe("ok");
  expect(Object.keys(report.checks)).toEqual(["postgres", "redis", "stream", "cortex"]);
  expect(report.checks.postgres).toMatchObject({
    status: "up",
    critical: true,
    latencyMs: expect.any(Number),
  });
  expect(report.checks.redis).toMatchObject({
    status: process.env.REDIS_URL ? "up" : "not_configured",
    critical: false,
  });
  // Neither STREAM_GRPC_URL nor CORTEX_URL is set for the suite's server.
  for (const optional of ["stream", "cortex"]) {
    expect(report.checks[optional]).toEqual({ status: "not_configured", critical: false });
  }
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
    /request_rate\{endpoint="\/health",method="GET",status_code="200",service="datapunk-lake",lake_instance="[^"]+"\}/,
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

// This file sorts first: the admin has no second factor yet (identity.spec.ts turns it on).
const ADMIN = { email: "admin@lake.test", password: "correct horse battery staple" };

async function adminToken(request: APIRequestContext): Promise<string> {
  const exchange = await request.post("/api/v1/lake/auth/token", { data: ADMIN });
  expect(exchange.status()).toBe(200);
  return ((await exchange.json()) as { access_token: string }).access_token;
}

const streamUrl = (baseURL: string) => `${baseURL.replace(/^http/, "ws")}/api/v1/lake/stream`;

test("the stream path accepts authenticated WebSocket upgrades on the same port", async ({
  baseURL,
  request,
}) => {
  const token = await adminToken(request);
  const socket = new WebSocket(streamUrl(baseURL!), {
    headers: { Authorization: `Bearer ${token}` },
  });
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

test("the stream refuses a handshake without a credential: 401 in the envelope", async ({
  baseURL,
}) => {
  const socket = new WebSocket(streamUrl(baseURL!));
  socket.once("error", () => {});
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve) =>
    socket.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    }),
  );
  expect(status).toBe(401);
  const envelope = JSON.parse(body) as Record<string, unknown>;
  expect(Object.keys(envelope).sort()).toEqual(["details", "error_code", "message", "timestamp"]);
  expect(envelope.error_code).toBe("unauthorized");
});

test("a browser page opens the stream with a token as the lake.bearer. subprotocol, under the CSP", async ({
  page,
  request,
}) => {
  const token = await adminToken(request);
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/login");
  const result = await page.evaluate(
    (credential) =>
      new Promise<{ protocol: string; hello: unknown }>((resolve, reject) => {
        const url = `${location.origin.replace(/^http/, "ws")}/api/v1/lake/stream`;
        const socket = new WebSocket(url, ["lake.v1", `lake.bearer.${credential}`]);
        socket.onmessage = (event) => {
          resolve({ protocol: socket.protocol, hello: JSON.parse(event.data as string) });
          socket.close();
        };
        socket.onerror = () => reject(new Error("the WebSocket failed"));
      }),
    token,
  );
  expect(result).toEqual({
    protocol: "lake.v1",
    hello: expect.objectContaining({ type: "hello" }),
  });
  expect(violations).toEqual([]);
});

test("upgrades on other paths are refused at once, not left hanging", async ({ baseURL }) => {
  const socket = new WebSocket(`${baseURL!.replace(/^http/, "ws")}/api/v1/lake/elsewhere`);
  const status = await new Promise<number | string>((resolve) => {
    socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.once("error", (error) => resolve(error.message));
  });
  expect(status).toBe(404);
});

test("pages carry a nonce CSP and refuse framing; API answers load nothing and are not cached; no HSTS over http", async ({
  request,
}) => {
  const page = await request.get("/login");
  const headers = page.headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain("unsafe-eval");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["strict-transport-security"]).toBeUndefined();
  // The page's scripts carry this response's nonce, and every response gets its own.
  const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
  expect(await page.text()).toContain(`nonce="${nonce}"`);
  const next = (await request.get("/login")).headers()["content-security-policy"];
  expect(next).not.toBe(policy);

  const token = await adminToken(request);
  const auth = { Authorization: `Bearer ${token}` };
  // A Next route handler, a route the custom server answers itself, and a refusal.
  for (const response of [
    await request.get("/api/v1/lake/vectors/indexes", { headers: auth }),
    await request.get("/api/v1/lake/me", { headers: auth }),
    await request.get("/api/v1/lake/me"),
  ]) {
    expect(response.headers()["cache-control"]).toBe("no-store");
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response.headers()["content-security-policy"]).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  }
  // A handler's own caching stands.
  const openapi = await request.get("/api/v1/lake/openapi.json");
  expect(openapi.headers()["cache-control"]).toBe("public, max-age=300");
});

test("a client claiming https (X-Forwarded-Proto) gets no HSTS without LAKE_TRUST_PROXY", async ({
  request,
}) => {
  // The trusting case is covered in server/doors/rest/security-headers.test.ts.
  const response = await request.get("/login", { headers: { "X-Forwarded-Proto": "https" } });
  expect(response.headers()["strict-transport-security"]).toBeUndefined();
});

test("a console page refuses to be framed by another page", async ({ page, baseURL }) => {
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("frame-ancestors")) refusals.push(message.text());
  });
  await page.setContent(`<iframe id="victim" src="${baseURL}/login"></iframe>`);
  await expect.poll(() => refusals.length).toBeGreaterThan(0);
  for (const frame of page.frames())
    expect(await frame.locator("input[type=password]").count()).toBe(0);
});

test("the console runs under the CSP: sign-in and every section without a violation", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on("pageerror", (error) => violations.push(error.message));
  await submitPassword(page, ADMIN);
  // Hashing the password (argon2id) takes a while on a loaded machine.
  await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email, { timeout: 20_000 });
  for (const path of [
    "/data",
    "/imports",
    "/vectors",
    "/live",
    "/api-reference",
    "/admin/users",
    "/admin/audit",
    "/account/security",
  ]) {
    await page.goto(path);
    await expect(page.getByTestId("signed-in-email")).toHaveText(ADMIN.email);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  // Client-side navigation loads further chunks through Next's runtime ('strict-dynamic').
  await page.getByRole("link", { name: "Data", exact: true }).first().click();
  await expect(page).toHaveURL(/\/data$/);
  expect(violations).toEqual([]);
});
