import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { GET as getRule } from "../../doors/rest/routes/alert-rule";
import { GET as transitions } from "../../doors/rest/routes/alert-rule-transitions";
import { POST as createRule } from "../../doors/rest/routes/alert-rules";
import { GET as deliveries } from "../../doors/rest/routes/webhook-deliveries";
import { POST as createWebhook } from "../../doors/rest/routes/webhooks";
import { databaseBackends } from "../../testing/backends";
import { createWebhook as createWebhookService } from "../webhooks/webhooks";
import { createTestKey } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";

type Json = Record<string, unknown>;
const request = (method: string, key: string, body?: unknown) =>
  new Request("http://lake.test/api/v1/lake/alerts", {
    method,
    headers: {
      "x-api-key": key,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const json = async (response: Response) => (await response.json()) as Json;

describe.each(databaseBackends)("alerts API on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);
  const name = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

  it("creates an alert on a default aggregation and reads it with its states and timeline", async () => {
    const { key } = await createTestKey(db(), "admin", ["read", "write"]);
    const alertName = name("hot");
    const created = await createRule(
      request("POST", key, {
        name: alertName,
        aggregation: "system_metrics_5m",
        function: "max",
        threshold: 90,
        for_seconds: 600,
      }),
    );
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({
      name: alertName,
      aggregation: { name: "system_metrics_5m" },
      kind: "threshold",
      operator: ">",
      trend: null,
      for_seconds: 600,
      webhook: null,
      states: { inactive: 0, pending: 0, firing: 0, resolved: 0 },
    });
    const params = { params: Promise.resolve({ rule: alertName }) };
    expect((await getRule(request("GET", key), params)).status).toBe(200);
    expect(await json(await transitions(request("GET", key), params))).toEqual({ transitions: [] });
  });

  it("refuses bad alert rules and webhooks with a 400 naming the field", async () => {
    const { key } = await createTestKey(db(), "admin", ["read", "write"]);
    const base = {
      name: name("a"),
      aggregation: "system_metrics_5m",
      function: "avg",
      threshold: 1,
    };
    const cases: [Json, string, RegExp][] = [
      [{ ...base, aggregation: undefined }, "aggregation", /Name the aggregation rule/],
      [{ ...base, aggregation: "nope" }, "aggregation", /No aggregation rule nope/],
      [{ ...base, function: "sum" }, "function", /computes count, avg, max/],
      [{ ...base, kind: "trend" }, "trend", /needs `trend`/],
      [{ ...base, trend: { windows: 1 } }, "trend.windows", /2/],
      [{ ...base, for_seconds: 1.5 }, "for_seconds", /whole number/],
      [{ ...base, webhook: "nobody" }, "", /webhook was not found/],
    ];
    for (const [body, path, message] of cases) {
      const response = await createRule(request("POST", key, body));
      const envelope = await json(response);
      if (path === "") {
        expect(response.status, JSON.stringify(body)).toBe(404);
        expect(envelope.message).toMatch(message);
        continue;
      }
      expect(response.status, JSON.stringify(body)).toBe(400);
      const issue = (envelope.details as { path: string; message: string }[]).find(
        (detail) => detail.path === path,
      );
      expect(issue?.message, JSON.stringify(envelope.details)).toMatch(message);
    }
    const hook = await createWebhook(request("POST", key, { name: name("h"), url: "gopher://x" }));
    expect(hook.status).toBe(400);
    const privateHook = await createWebhook(
      request("POST", key, { name: name("h"), url: "http://169.254.169.254/latest" }),
    );
    expect(privateHook.status).toBe(400);
  });

  it("shows a webhook's deliveries to its creator only", async () => {
    const owner = await createTestKey(db(), "admin", ["read", "write"]);
    const other = await createTestKey(db(), "reader", ["read"]);
    const hook = await createWebhookService({
      db: db(),
      principal: owner.principal,
      input: { name: name("hook"), url: "http://127.0.0.1:9/hooks" },
      allowPrivate: true,
    });
    expect(hook.secret).toMatch(/^whsec_/);
    const params = { params: Promise.resolve({ webhook: hook.name }) };
    expect(await json(await deliveries(request("GET", owner.key), params))).toEqual({
      deliveries: [],
    });
    expect((await deliveries(request("GET", other.key), params)).status).toBe(404);
  });
});
