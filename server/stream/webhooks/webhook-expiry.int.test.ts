import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";

import { describe, expect, it } from "vitest";

import { databaseBackends } from "../../testing/backends";
import { createTestUser } from "../../testing/identity-fixtures";
import { useTestDatabase } from "../../testing/test-database";
import { startWebhookDelivery } from "./deliver-webhooks";
import { alertNotifying, oweDelivery } from "./testing/owed-deliveries";
import { createWebhook } from "./webhooks";

const HOUR = 3_600_000;

describe.each(databaseBackends)(
  "webhook deliveries owed too long, on $name PostgreSQL",
  (backend) => {
    const db = useTestDatabase(backend);

    it("are given up as failed, unsent, while the fresh ones still go out", async () => {
      const received: string[] = [];
      const endpoint = createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          received.push(String(req.headers["lake-delivery"]));
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
      const { principal } = await createTestUser(db(), "admin");
      const suffix = randomUUID().slice(0, 8);
      const webhook = await createWebhook({
        db: db(),
        principal,
        input: {
          name: `hook_${suffix}`,
          url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/lake`,
        },
        allowPrivate: true,
      });
      const alert = await alertNotifying(db(), webhook.id);
      /** A delivery owed since `createdAt`, waiting as an open breaker leaves it. */
      const owe = (createdAt: Date) =>
        oweDelivery(db(), {
          alertRuleId: alert.id,
          webhookId: webhook.id,
          createdAt,
          lastError: "circuit open: the endpoint failed repeatedly",
        });
      const stale = await owe(new Date(Date.now() - 73 * HOUR));
      const fresh = await owe(new Date(Date.now() - 71 * HOUR));

      const delivery = startWebhookDelivery({
        db: db(),
        allowPrivate: true,
        timeoutMs: 1_000,
        maxAgeMs: 72 * HOUR,
        pollMs: 25,
      });
      try {
        await delivery.settle();
      } finally {
        await delivery.stop();
        await new Promise<void>((resolve) => endpoint.close(() => resolve()));
      }

      const after = await db().prisma.webhookDelivery.findMany({
        where: { id: { in: [stale.id, fresh.id] } },
        include: { attemptLog: true },
        orderBy: { id: "asc" },
      });
      expect(after.map((d) => d.status)).toEqual(["failed", "delivered"]);
      expect(after[0]!.lastError).toBe("given up: not delivered within 72 hours");
      expect(after[0]!.attemptLog).toHaveLength(0);
      expect(after[0]!.lockedUntil).toBeNull();
      expect(received).toEqual([String(fresh.id)]);
    });
  },
);
