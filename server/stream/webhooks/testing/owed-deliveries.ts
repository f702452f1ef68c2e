import { randomUUID } from "node:crypto";

import { type Database } from "../../../db/client";

/** An alert rule — over a count of system_metrics — that notifies `webhookId`. */
export async function alertNotifying(db: Database, webhookId: string): Promise<{ id: string }> {
  const suffix = randomUUID().slice(0, 8);
  const rule = await db.prisma.aggregationRule.create({
    data: {
      name: `agg_${suffix}`,
      topic: "system_metrics",
      windowSeconds: 60,
      graceSeconds: 0,
      functions: ["count"],
      groupBy: [],
    },
  });
  return db.prisma.alertRule.create({
    data: {
      name: `alert_${suffix}`,
      aggregationRuleId: rule.id,
      function: "count",
      kind: "threshold",
      operator: ">",
      threshold: 0,
      webhookId,
    },
    select: { id: true },
  });
}

/**
 * A delivery owed for a new firing transition of `alertRuleId`, as evaluate-alerts writes it;
 * `createdAt` and `lastError` stand for one that has been waiting.
 */
export async function oweDelivery(
  db: Database,
  owed: {
    alertRuleId: string;
    webhookId: string;
    body?: string;
    createdAt?: Date;
    lastError?: string;
  },
): Promise<{ id: bigint }> {
  const at = owed.createdAt ?? new Date();
  const transition = await db.prisma.alertTransition.create({
    data: {
      alertRuleId: owed.alertRuleId,
      groupKey: "[]",
      groupValues: {},
      policy: "analytics",
      fromState: "inactive",
      toState: "firing",
      value: 1,
      threshold: 0,
      windowStart: at,
      windowEnd: at,
    },
  });
  return db.prisma.webhookDelivery.create({
    data: {
      webhookId: owed.webhookId,
      transitionId: transition.id,
      body: owed.body ?? "{}",
      createdAt: at,
      lastError: owed.lastError,
    },
    select: { id: true },
  });
}
