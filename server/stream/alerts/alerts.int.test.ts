import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { databaseBackends } from "../../testing/backends";
import { createTestUser } from "../../testing/identity-fixtures";
import { useTestDatabase } from "../../testing/test-database";
import { rejection } from "../../testing/rejection";
import { type NewStreamEvent } from "../events/stream-event";
import { selectLogBounds } from "../events/stream-events.queries";
import { appendStored } from "../testing/append-stored";
import { alertNotifying, oweDelivery } from "../webhooks/testing/owed-deliveries";
import { startWebhookDelivery } from "../webhooks/deliver-webhooks";
import { verifyWebhook } from "../webhooks/sign-webhook";
import { createWebhook, listWebhookDeliveries } from "../webhooks/webhooks";
import { createMemoryWindowStore } from "../windows/memory-window-store";
import { startWindowEngine } from "../windows/window-engine";
import { allPartitions } from "../windows/window-partitions";
import { createAlertRule, listAlertRules } from "./alert-rules";
import { evaluateAlerts } from "./evaluate-alerts";
import { listAlertTransitions } from "./list-alert-transitions";

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** A real HTTP endpoint that answers as told, one status (and delay) per request in turn. */
async function startReceiver() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const answers: { status: number; delayMs?: number }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      const answer = answers.shift() ?? { status: 200 };
      setTimeout(() => res.writeHead(answer.status).end(), answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/lake`;
  return {
    url,
    received,
    answer: (...next: { status: number; delayMs?: number }[]) => answers.push(...next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(databaseBackends)("alerts on $name PostgreSQL", (backend) => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    admin = (await createTestUser(db(), "admin")).principal;
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  const name = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;
  const metric = (at: number, host: string, value: number): NewStreamEvent => ({
    topic: "system_metrics",
    partitionKey: host,
    eventId: randomUUID(),
    eventTime: new Date(at).toISOString(),
    ownerId: admin.userId,
    policy: "analytics",
    datasetId: null,
    payload: { host, name: "latency_ms", value },
  });

  async function engineAt(clock: () => number) {
    return startWindowEngine({
      db: db(),
      store: createMemoryWindowStore(),
      leases: allPartitions(),
      origin: { offset: BigInt((await selectLogBounds(db())).head), through: clock() },
      clock,
      pollMs: HOUR,
      closeEveryMs: HOUR,
      onWindowsStored: evaluateAlerts,
    });
  }

  it("fires on a threshold, notifies a signed webhook through retries, and resolves", async () => {
    const webhook = await createWebhook({
      db: db(),
      principal: admin,
      input: { name: name("hook"), url: receiver.url },
      allowPrivate: true,
    });
    const aggregation = await db().prisma.aggregationRule.create({
      data: {
        name: name("latency"),
        topic: "system_metrics",
        windowSeconds: 60,
        graceSeconds: 0,
        functions: ["count", "avg", "max"],
        field: "payload.value",
        groupBy: ["payload.host"],
      },
    });
    const alert = await createAlertRule({
      db: db(),
      principal: admin,
      input: {
        name: name("slow"),
        aggregation: aggregation.name,
        function: "avg",
        operator: ">",
        threshold: 500,
        webhook: webhook.name,
      },
    });
    const t0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 10 * MINUTE;
    let now = t0;
    const engine = await engineAt(() => now);
    const delivery = startWebhookDelivery({
      db: db(),
      allowPrivate: true,
      timeoutMs: 2000,
      pollMs: HOUR,
    });
    try {
      await appendStored(db(), [
        metric(t0 + 1000, "h1", 400),
        metric(t0 + 2000, "h1", 800),
        metric(t0 + 3000, "h2", 100),
      ]);
      await engine.settle();
      now = t0 + MINUTE;
      await engine.settle();

      // Two failures, then success: three attempts by the critical policy.
      receiver.answer({ status: 500 }, { status: 503 });
      const sentBefore = receiver.received.length;
      await delivery.settle();
      const sent = receiver.received.slice(sentBefore);
      expect(sent).toHaveLength(3);
      for (const request of sent) {
        expect(
          verifyWebhook(webhook.secret, request.body, String(request.headers["lake-signature"])),
        ).toBe(true);
        expect(
          verifyWebhook("whsec_wrong", request.body, String(request.headers["lake-signature"])),
        ).toBe(false);
      }
      expect(JSON.parse(sent[0]!.body)).toMatchObject({
        alert: alert.name,
        aggregation: aggregation.name,
        state: "firing",
        previous_state: "inactive",
        group: { "payload.host": "h1" },
        value: 600,
        threshold: 500,
        window_start: new Date(t0).toISOString(),
      });
      const [log] = await listWebhookDeliveries({
        db: db(),
        principal: admin,
        webhook: webhook.name,
      });
      expect(log).toMatchObject({ status: "delivered" });
      expect(log!.attempts.map((a) => a.status_code)).toEqual([500, 503, 200]);

      // The next window is calm: resolved, and notified once.
      await appendStored(db(), [metric(t0 + MINUTE + 1000, "h1", 90)]);
      await engine.settle();
      now = t0 + 2 * MINUTE;
      await engine.settle();
      await delivery.settle();
      expect(JSON.parse(receiver.received.at(-1)!.body)).toMatchObject({
        state: "resolved",
        previous_state: "firing",
        value: 90,
      });
      const timeline = await listAlertTransitions({
        db: db(),
        principal: admin,
        rule: alert.name,
        query: {},
      });
      expect(timeline.map((t) => [t.from, t.to, t.value])).toEqual([
        ["firing", "resolved", 90],
        ["inactive", "firing", 600],
      ]);
      const [listed] = (await listAlertRules({ db: db(), principal: admin })).filter(
        (rule) => rule.name === alert.name,
      );
      // h2 was judged too, and never held.
      expect(listed!.states).toEqual({ inactive: 1, pending: 0, firing: 0, resolved: 1 });
      const { rows: announced } = await db().pool.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM stream_outbox WHERE topic = 'alerts' AND partition_key = $1",
        [alert.name],
      );
      expect(announced[0]!.n).toBe("2");
    } finally {
      await delivery.stop();
      await engine.stop();
    }
  }, 30_000);

  it("fires on a rising trend only after `for`, and holds through a dip within `keep_firing_for`", async () => {
    const aggregation = await db().prisma.aggregationRule.create({
      data: {
        name: name("events"),
        topic: "system_metrics",
        windowSeconds: 60,
        graceSeconds: 0,
        functions: ["count"],
        groupBy: [],
      },
    });
    const alert = await createAlertRule({
      db: db(),
      principal: admin,
      input: {
        name: name("rising"),
        aggregation: aggregation.name,
        function: "count",
        kind: "trend",
        trend: { windows: 3 },
        operator: ">",
        threshold: 1,
        for_seconds: 120,
        keep_firing_for_seconds: 120,
      },
    });
    const t0 = Math.ceil(Date.now() / MINUTE) * MINUTE + 20 * MINUTE;
    let now = t0;
    const engine = await engineAt(() => now);
    try {
      // Events per minute; the alert watches the slope of the last three windows' counts.
      for (const [minute, count] of [1, 3, 5, 7, 6, 10, 12, 2, 1, 1].entries()) {
        await appendStored(
          db(),
          Array.from({ length: count }, (_, i) => metric(t0 + minute * MINUTE + i, "h", 1)),
        );
        await engine.settle();
        now = t0 + (minute + 1) * MINUTE;
        await engine.settle();
      }
      const timeline = await listAlertTransitions({
        db: db(),
        principal: admin,
        rule: alert.name,
        query: {},
      });
      // Slopes per minute: –, 2, 2, 2, 0.5, 1.5, 3, -4, -5.5, -0.5. Pending at minute 1, firing
      // once it has held over two minutes (minute 2), kept through the one-minute dip at minute 4,
      // resolved once it has been below for two minutes (minutes 7 and 8).
      expect(timeline.reverse().map((t) => [t.to, t.window_start])).toEqual([
        ["pending", new Date(t0 + MINUTE).toISOString()],
        ["firing", new Date(t0 + 2 * MINUTE).toISOString()],
        ["resolved", new Date(t0 + 8 * MINUTE).toISOString()],
      ]);
    } finally {
      await engine.stop();
    }
  }, 30_000);

  it("opens the circuit after five failed attempts, which then holds every delivery — the one that tripped it too", async () => {
    const webhook = await createWebhook({
      db: db(),
      principal: admin,
      input: { name: name("slowhook"), url: receiver.url },
      allowPrivate: true,
    });
    const alert = await alertNotifying(db(), webhook.id);
    const owe = () =>
      oweDelivery(db(), {
        alertRuleId: alert.id,
        webhookId: webhook.id,
        body: JSON.stringify({ n: 1 }),
      });
    const delivery = startWebhookDelivery({
      db: db(),
      allowPrivate: true,
      timeoutMs: 200,
      pollMs: HOUR,
      halfOpenAfterMs: HOUR,
    });
    try {
      await owe();
      // Too slow, too slow, then errors: every attempt fails.
      receiver.answer(
        { status: 200, delayMs: 500 },
        { status: 200, delayMs: 500 },
        { status: 500 },
        { status: 500 },
        { status: 502 },
      );
      await delivery.settle();
      await sleep(600); // the slow answers finish before the receiver is used again
      await owe();
      await delivery.settle();
      const log = await listWebhookDeliveries({
        db: db(),
        principal: admin,
        webhook: webhook.name,
      });
      // Not given up: the endpoint is down, not the delivery at fault (webhook-outage.int.test.ts
      // sees both go out once it is back).
      expect(log.map((d) => d.status)).toEqual(["pending", "pending"]);
      expect(log[1]!.attempts.map((a) => a.status_code ?? a.error)).toEqual([
        "no answer within 200 ms",
        "no answer within 200 ms",
        500,
        500,
        502,
      ]);
      expect(log[1]!.last_error).toMatch(/circuit open/);
      expect(log[0]!.attempts).toEqual([]);
      expect(log[0]!.last_error).toMatch(/circuit open/);
    } finally {
      await delivery.stop();
    }
  }, 30_000);

  it("refuses webhook targets that are not http(s), or private when that is not allowed", async () => {
    for (const url of [
      "ftp://example.com/x",
      "http://127.0.0.1:9/x",
      "http://[::1]/x",
      "http://10.1.2.3/x",
      "not a url",
    ]) {
      const error = await rejection(
        createWebhook({
          db: db(),
          principal: admin,
          input: { name: name("bad"), url },
          allowPrivate: false,
        }),
      );
      expect(error, url).toMatchObject({ code: "validation_failed" });
    }
  });
});
