import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { DELETE as deleteRule, GET as getRule } from "../../doors/rest/routes/window-rule";
import { GET as listRuleWindows } from "../../doors/rest/routes/window-rule-windows";
import { GET as listRules, POST as createRule } from "../../doors/rest/routes/window-rules";
import { databaseBackends } from "../../testing/backends";
import { createTestKey } from "../../testing/identity-fixtures";
import { useTestServices } from "../../testing/test-services";
import { NO_OWNER } from "./windows.queries";

type Json = Record<string, unknown>;

function request(method: string, path: string, key: string, body?: unknown) {
  return new Request(`http://lake.test${path}`, {
    method,
    headers: {
      "x-api-key": key,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const params = (rule: string) => ({ params: Promise.resolve({ rule }) });
const json = async (response: Response) => (await response.json()) as Json;

describe.each(databaseBackends)("windows API on $name PostgreSQL", (backend) => {
  const { db } = useTestServices(backend);
  const name = () => `r_${randomUUID().slice(0, 8)}`;

  it("lists the default rules for the seed's two streams", async () => {
    const { key } = await createTestKey(db(), "reader", ["read"]);
    const response = await listRules(request("GET", "/api/v1/lake/windows/rules", key));
    expect(response.status).toBe(200);
    const { rules } = (await json(response)) as { rules: Json[] };
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: "system_metrics_5m",
          topic: "system_metrics",
          window_seconds: 300,
          grace_seconds: 60,
          functions: ["count", "avg", "max"],
          field: "payload.value",
        }),
        expect.objectContaining({ name: "user_events_1m", topic: "user_events", field: null }),
      ]),
    );
  });

  it("creates a rule with defaults, reads it by name, refuses a taken name, and deletes it", async () => {
    const { key } = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    const ruleName = name();
    const created = await createRule(
      request("POST", "/api/v1/lake/windows/rules", key, { name: ruleName, topic: "user_events" }),
    );
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({
      name: ruleName,
      window_seconds: 300,
      grace_seconds: 60,
      functions: ["count"],
      field: null,
      group_by: [],
    });
    const read = await getRule(request("GET", "/", key), params(ruleName));
    expect(await json(read)).toMatchObject({ name: ruleName });
    const again = await createRule(
      request("POST", "/api/v1/lake/windows/rules", key, { name: ruleName, topic: "user_events" }),
    );
    expect(again.status).toBe(409);
    const deleted = await deleteRule(request("DELETE", "/", key), params(ruleName));
    expect(deleted.status).toBe(204);
    expect((await getRule(request("GET", "/", key), params(ruleName))).status).toBe(404);
  });

  it("refuses bad rules with a 400 naming the field, and stores nothing", async () => {
    const { key } = await createTestKey(db(), "admin", ["read", "write"]);
    const base = { name: name(), topic: "system_metrics", field: "payload.value" };
    const cases: [Json, string, RegExp][] = [
      [{ ...base, functions: ["median"] }, "functions.0", /count, avg, max, min, sum/],
      [{ ...base, topic: "clicks" }, "topic", /Unknown topic/],
      [{ ...base, field: "payload.cpu" }, "field", /Unknown field/],
      [{ ...base, group_by: ["payload.zone"] }, "group_by.0", /Unknown field/],
      [{ ...base, window_seconds: 2.5 }, "window_seconds", /whole number of seconds/],
      [{ ...base, window_seconds: 90_000 }, "window_seconds", /at most a day/],
      [
        {
          ...base,
          topic: "user_events",
          group_by: ["payload.a", "payload.b", "payload.c", "payload.d", "payload.e", "payload.f"],
        },
        "group_by",
        /At most 5/,
      ],
      [{ ...base, functions: ["avg"], field: null }, "field", /need the field/],
      [{ ...base, field: "value" }, "field", /payload path/],
    ];
    for (const [body, path, message] of cases) {
      const response = await createRule(request("POST", "/api/v1/lake/windows/rules", key, body));
      expect(response.status, JSON.stringify(body)).toBe(400);
      const envelope = await json(response);
      expect(envelope.error_code).toBe("validation_failed");
      const issue = (envelope.details as { path: string; message: string }[]).find(
        (detail) => detail.path === path,
      );
      expect(issue?.message, JSON.stringify(envelope.details)).toMatch(message);
    }
    expect(await db().prisma.aggregationRule.count({ where: { name: base.name } })).toBe(0);
  });

  it("lets only the creator or an admin delete a rule, and a reader not create one", async () => {
    const creator = await createTestKey(db(), "admin", ["read", "write", "delete"]);
    const reader = await createTestKey(db(), "reader", ["read"]);
    const ruleName = name();
    await createRule(
      request("POST", "/api/v1/lake/windows/rules", creator.key, {
        name: ruleName,
        topic: "user_events",
      }),
    );
    const refused = await createRule(
      request("POST", "/api/v1/lake/windows/rules", reader.key, {
        name: name(),
        topic: "user_events",
      }),
    );
    expect(refused.status).toBe(403);
    expect((await deleteRule(request("DELETE", "/", reader.key), params(ruleName))).status).toBe(
      403,
    );
  });

  it("shows each owner its own windows of an owner_only topic, and every reader the shared ones", async () => {
    const admin = await createTestKey(db(), "admin", ["read", "write"]);
    const alice = await createTestKey(db(), "reader", ["read"]);
    const bob = await createTestKey(db(), "reader", ["read"]);
    const rule = await db().prisma.aggregationRule.create({
      data: {
        name: name(),
        topic: "user_events",
        windowSeconds: 60,
        graceSeconds: 0,
        functions: ["count"],
        groupBy: [],
      },
    });
    const start = new Date(Date.now() - 10 * 60_000);
    const end = new Date(start.getTime() + 60_000);
    const window = (ownerId: string | null, count: number) => ({
      ruleId: rule.id,
      windowStart: start,
      windowEnd: end,
      groupKey: JSON.stringify([ownerId ?? NO_OWNER]),
      groupValues: {},
      ownerId,
      policy: ownerId ? ("user_data" as const) : ("analytics" as const),
      count,
    });
    await db().prisma.windowAggregate.createMany({
      data: [window(alice.principal.userId, 3), window(bob.principal.userId, 5)],
    });
    const counts = async (key: string) => {
      const response = await listRuleWindows(request("GET", "/", key), params(rule.name));
      expect(response.status).toBe(200);
      return ((await json(response)).windows as { count: number }[]).map((w) => w.count).sort();
    };
    expect(await counts(alice.key)).toEqual([3]);
    expect(await counts(bob.key)).toEqual([5]);
    expect(await counts(admin.key)).toEqual([3, 5]);

    const inverted = await listRuleWindows(
      request("GET", `/?from=${end.toISOString()}&to=${start.toISOString()}`, alice.key),
      params(rule.name),
    );
    expect(inverted.status).toBe(400);
    expect(await json(inverted)).toMatchObject({ error_code: "validation_failed" });
  });
});
