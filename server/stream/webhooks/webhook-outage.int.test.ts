import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

import { beforeAll, describe, expect, it } from "vitest";

import { type Principal } from "../../auth/principal";
import { type BreakerStateName, breakerSnapshot } from "../../resilience/circuit-breakers";
import { databaseBackends } from "../../testing/backends";
import { createTestUser } from "../../testing/identity-fixtures";
import { reportRecovery } from "../../testing/recovery";
import { useTestDatabase } from "../../testing/test-database";
import { startWebhookDelivery } from "./deliver-webhooks";
import { alertNotifying, oweDelivery } from "./testing/owed-deliveries";
import { createWebhook } from "./webhooks";

/**
 * A customer's endpoint the test can stop and start again on the same port. Each delivery it
 * answers is counted by its Lake-Delivery id — one whose connection the stop cut before the
 * answer went out is owed again, and sent again (delivery is at least once; receivers dedupe by
 * that id), so it counts when answered. After a restart its first answer takes a moment, so the
 * breaker's trial call is in flight long enough to be seen half-open.
 */
async function startEndpoint() {
  const received: string[] = [];
  let server: Server | undefined;
  let port = 0;
  let slowFirst = false;
  const listen = async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.on("finish", () => received.push(String(req.headers["lake-delivery"])));
        const delayMs = slowFirst ? 300 : 0;
        slowFirst = false;
        setTimeout(() => res.writeHead(204).end(), delayMs);
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  return {
    url: () => `http://127.0.0.1:${port}/hooks/lake`,
    received,
    stop: async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    },
    start: async () => {
      slowFirst = true;
      await listen();
    },
  };
}

// The real server in CI; delivery is the same SQL on the embedded database.
const backend = databaseBackends.at(-1)!;

describe(`a webhook endpoint going away mid-traffic, on ${backend.name} PostgreSQL`, () => {
  const db = useTestDatabase(backend);
  let admin: Principal;
  beforeAll(async () => {
    admin = (await createTestUser(db(), "admin")).principal;
  });

  it("opens the breaker, half-opens, closes, and delivers every delivery owed meanwhile once", async () => {
    const endpoint = await startEndpoint();
    const suffix = randomUUID().slice(0, 8);
    const webhook = await createWebhook({
      db: db(),
      principal: admin,
      input: { name: `hook_${suffix}`, url: endpoint.url() },
      allowPrivate: true,
    });
    const alert = await alertNotifying(db(), webhook.id);
    const halfOpenAfterMs = 1_000;
    const delivery = startWebhookDelivery({
      db: db(),
      allowPrivate: true,
      timeoutMs: 1_000,
      pollMs: 25,
      halfOpenAfterMs,
    });

    // The breaker's states as they happen.
    const states: BreakerStateName[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const state = breakerSnapshot(`webhook:${webhook.id}`)?.state;
        if (state && state !== states.at(-1)) states.push(state);
        await sleep(5);
      }
    })();
    // Alerts keep firing throughout: before, during and after the outage.
    let owing = true;
    let owed = 0;
    const producer = (async () => {
      while (owing) {
        await oweDelivery(db(), {
          alertRuleId: alert.id,
          webhookId: webhook.id,
          body: JSON.stringify({ n: owed++ }),
        });
        await sleep(100);
      }
    })();

    try {
      await expect.poll(() => endpoint.received.length).toBeGreaterThan(2);
      await endpoint.stop();
      await expect
        .poll(() => breakerSnapshot(`webhook:${webhook.id}`)?.state, { timeout: 15_000 })
        .toBe("open");
      await sleep(halfOpenAfterMs * 2); // a trial fails and reopens it meanwhile
      const receivedAtRestart = endpoint.received.length;
      await endpoint.start();
      const restartedAt = performance.now();
      await expect
        .poll(() => endpoint.received.length > receivedAtRestart, {
          timeout: 15_000,
          interval: 10,
        })
        .toBe(true);
      const recoveryMs = performance.now() - restartedAt;

      owing = false;
      await producer;
      await expect
        .poll(
          async () =>
            db().prisma.webhookDelivery.count({
              where: { webhookId: webhook.id, status: { not: "delivered" } },
            }),
          { timeout: 20_000 },
        )
        .toBe(0);

      expect(states).toEqual(expect.arrayContaining(["closed", "open", "half-open"]));
      expect(states.at(-1)).toBe("closed");
      const deliveries = await db().prisma.webhookDelivery.findMany({
        where: { webhookId: webhook.id },
        select: { id: true, status: true },
      });
      expect(deliveries).toHaveLength(owed);
      const receivedOnce = new Set(endpoint.received);
      const lost = deliveries.filter((d) => !receivedOnce.has(String(d.id))).length;
      const duplicated = endpoint.received.length - receivedOnce.size;
      reportRecovery("webhook", recoveryMs, { lost, duplicated });
      expect(lost).toBe(0);
      expect(duplicated).toBe(0);
      // Within a few half-open intervals, not after a long backoff: a bound, not a speed figure.
      expect(recoveryMs).toBeLessThan(halfOpenAfterMs * 6);
    } finally {
      owing = false;
      watching = false;
      await producer;
      await watcher;
      await delivery.stop();
      await endpoint.stop();
    }
  });
});
