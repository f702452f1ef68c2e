import { describe, expect, it } from "vitest";
import { z } from "zod";

import { metrics } from "../../observability/metrics";
import { AppError } from "../../errors/app-error";
import { route } from "./route";

const echo = route({
  endpoint: "/test/echo/[id]",
  body: z.object({ name: z.string().min(1) }).strict(),
  params: z.object({ id: z.string().uuid() }),
  handler: async ({ body, params }) => ({ ...body, id: params.id }),
  status: 201,
});
const ID = "6f1c1d3e-0c55-4d6b-9a3c-2f4f6f0f7a11";
const call = (init: RequestInit & { id?: string } = {}) =>
  echo(new Request(`http://lake.test/test/echo/${init.id ?? ID}`, { method: "POST", ...init }), {
    params: Promise.resolve({ id: init.id ?? ID }),
  });
const json = (body: string, headers: Record<string, string> = {}) => ({
  body,
  headers: { "content-type": "application/json", ...headers },
});

async function envelope(response: Response) {
  const body = (await response.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(["details", "error_code", "message", "timestamp"]);
  return body;
}

describe("route", () => {
  it("validates, calls the handler and answers JSON with a request id", async () => {
    const response = await call(json('{"name":"lake"}', { "x-request-id": "abc-123" }));
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("abc-123");
    expect(await response.json()).toEqual({ name: "lake", id: ID });
  });

  it("answers Cache-Control: no-store, errors included, unless the handler set its own", async () => {
    expect((await call(json('{"name":"lake"}'))).headers.get("cache-control")).toBe("no-store");
    expect((await call(json("{}"))).headers.get("cache-control")).toBe("no-store");
    const cached = route({
      endpoint: "/test/cached",
      handler: async () =>
        new Response("{}", { headers: { "Cache-Control": "public, max-age=300" } }),
    });
    const response = await cached(new Request("http://lake.test/test/cached"));
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("makes a request id when the caller's is missing or unsafe", async () => {
    const response = await call(json('{"name":"lake"}', { "x-request-id": "bad id <script>" }));
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 415 for a body that is not JSON", async () => {
    const response = await call({
      body: "name=lake",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(415);
    expect((await envelope(response)).error_code).toBe("unsupported_media_type");
  });

  it("answers 400 for malformed JSON and for an empty body", async () => {
    for (const body of ['{"name":', ""]) {
      const response = await call(json(body));
      expect(response.status).toBe(400);
      expect((await envelope(response)).error_code).toBe("invalid_json");
    }
  });

  it("answers 400 with the failing paths for a body that breaks the schema", async () => {
    const response = await call(json('{"name":"","extra":1}'));
    expect(response.status).toBe(400);
    const body = await envelope(response);
    expect(body.error_code).toBe("validation_failed");
    expect(body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "name" }),
        expect.objectContaining({ code: "unrecognized_keys" }),
      ]),
    );
  });

  it("answers 400 for bad path parameters", async () => {
    const response = await call({ ...json('{"name":"x"}'), id: "not-a-uuid" });
    expect(response.status).toBe(400);
  });

  it("answers 413 over the body limit, declared or not", async () => {
    const big = JSON.stringify({ name: "x".repeat(11 * 1024 * 1024) });
    const declared = await call(json(big, { "content-length": String(big.length) }));
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const streamed = await call({ ...json(""), body: stream, duplex: "half" } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await envelope(streamed)).message).toMatch(/\/api\/v1\/lake\/import/);
  });

  it("renders AppErrors with their status and headers", async () => {
    const limited = route({
      endpoint: "/test/limited",
      handler: async () => {
        throw new AppError("rate_limited", "Slow down.", { limit: 1 }, { "Retry-After": "30" });
      },
    });
    const response = await limited(new Request("http://lake.test/test/limited"));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(await envelope(response)).toMatchObject({
      error_code: "rate_limited",
      details: { limit: 1 },
    });
  });

  it("hides unknown errors behind a generic message with the request id", async () => {
    const broken = route({
      endpoint: "/test/broken",
      handler: async () => {
        throw new Error('relation "secret_table" does not exist at /srv/app.ts:12');
      },
    });
    const response = await broken(new Request("http://lake.test/test/broken"));
    expect(response.status).toBe(500);
    const body = await envelope(response);
    expect(JSON.stringify(body)).not.toMatch(/secret_table|app\.ts/);
    expect(body.details).toEqual({ request_id: response.headers.get("x-request-id") });
  });

  it("answers 503 when the database cannot be reached", async () => {
    const down = route({
      endpoint: "/test/down",
      handler: async () => {
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
          code: "ECONNREFUSED",
        });
      },
    });
    const response = await down(new Request("http://lake.test/test/down"));
    expect(response.status).toBe(503);
    expect((await envelope(response)).error_code).toBe("database_unavailable");
  });

  it("counts requests by route pattern, never by raw URL", async () => {
    await call(json('{"name":"metrics"}'));
    const text = await metrics().registry.metrics();
    expect(text).toMatch(
      /request_rate\{endpoint="\/test\/echo\/\[id\]",method="POST",status_code="201",service="datapunk-lake"\} \d+/,
    );
    expect(text).not.toContain(ID);
    expect(text).toMatch(
      /latency_bucket\{le="0\.01",service="datapunk-lake",endpoint="\/test\/echo\/\[id\]",method="POST"\}/,
    );
  });
});
