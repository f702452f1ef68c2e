import { recordAudit } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { type AlertRule, type AggregationRule, type Webhook } from "../../db/generated/client";
import { type DbClient } from "../../db/transaction";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { topicPolicy } from "../events/topics";
import { findAggregationRule } from "../windows/get-aggregation-rule";
import { findWebhook } from "../webhooks/webhooks";
import { alertRuleInputSchema, type AlertRuleView } from "./alert-rule.schemas";
import { idOrName } from "../../input/uuid";

type LoadedRule = AlertRule & {
  aggregationRule: AggregationRule;
  webhook: Webhook | null;
};

async function stateCounts(db: DbClient, ids: string[]) {
  const rows = await db.prisma.alertInstance.groupBy({
    by: ["alertRuleId", "state"],
    where: { alertRuleId: { in: ids } },
    _count: { _all: true },
  });
  const counts = new Map<string, AlertRuleView["states"]>();
  for (const row of rows) {
    const states = counts.get(row.alertRuleId) ?? { ...NO_STATES };
    states[row.state] = row._count._all;
    counts.set(row.alertRuleId, states);
  }
  return counts;
}

const NO_STATES: AlertRuleView["states"] = { inactive: 0, pending: 0, firing: 0, resolved: 0 };

function toView(rule: LoadedRule, states: AlertRuleView["states"] = NO_STATES): AlertRuleView {
  return {
    id: rule.id,
    name: rule.name,
    aggregation: { id: rule.aggregationRule.id, name: rule.aggregationRule.name },
    function: rule.function,
    kind: rule.kind,
    operator: rule.operator as AlertRuleView["operator"],
    threshold: rule.threshold,
    trend:
      rule.kind === "trend"
        ? { windows: rule.trendWindows ?? 2, horizon_seconds: rule.trendHorizonSeconds }
        : null,
    for_seconds: rule.forSeconds,
    keep_firing_for_seconds: rule.keepFiringForSeconds,
    webhook: rule.webhook ? { id: rule.webhook.id, name: rule.webhook.name } : null,
    states,
    created_at: rule.createdAt.toISOString(),
  };
}

const include = { aggregationRule: true, webhook: true } as const;

export async function findAlertRule(db: DbClient, ref: string): Promise<LoadedRule> {
  const rule = await db.prisma.alertRule.findFirst({
    where: idOrName(ref),
    include,
  });
  if (!rule) throw new AppError("not_found", "The alert rule was not found.");
  return rule;
}

/**
 * A new alert rule on an aggregation rule's windows. Needs "write"; the function must be one the
 * aggregation computes, the webhook one of the caller's. Over an owner_only topic, a non-admin's
 * rule watches only the caller's own groups: its notifications would otherwise tell it about
 * other owners' events.
 */
export async function createAlertRule(
  options: Omit<ServiceContext, "cache"> & { input: unknown },
): Promise<AlertRuleView> {
  const { db, principal } = options;
  authorize(principal, "write");
  const parsed = alertRuleInputSchema.safeParse(options.input);
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;
  const aggregation = await findAggregationRule(db, input.aggregation).catch(() => {
    throw new AppError("validation_failed", "The alert names no aggregation rule that exists.", [
      { path: "aggregation", message: `No aggregation rule ${input.aggregation}.` },
    ]);
  });
  if (!aggregation.functions.includes(input.function)) {
    throw new AppError("validation_failed", "The aggregation does not compute this function.", [
      {
        path: "function",
        message: `${aggregation.name} computes ${aggregation.functions.join(", ")}.`,
      },
    ]);
  }
  const webhook = input.webhook ? await findWebhook(db, principal, input.webhook) : null;
  const ownerOnly = topicPolicy(aggregation.topic as "user_events") === "user_data";
  return db.prisma.$transaction(async (tx) => {
    const [created] = await tx.alertRule.createManyAndReturn({
      data: [
        {
          name: input.name,
          aggregationRuleId: aggregation.id,
          function: input.function,
          kind: input.kind,
          operator: input.operator,
          threshold: input.threshold,
          trendWindows: input.trend?.windows ?? null,
          trendHorizonSeconds: input.trend?.horizon_seconds ?? null,
          forSeconds: input.for_seconds,
          keepFiringForSeconds: input.keep_firing_for_seconds,
          webhookId: webhook?.id ?? null,
          ownerScope: ownerOnly && !isAdmin(principal) ? principal.userId : null,
          createdBy: principal.userId,
        },
      ],
      skipDuplicates: true,
    });
    if (!created) {
      throw new AppError("conflict", "An alert rule with this name already exists.", {
        name: input.name,
      });
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "alert_rule.create",
        resource: { type: "alert_rule", id: created.id },
        summary: { after: input },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return toView({ ...created, aggregationRule: aggregation, webhook });
  });
}

/** Every alert rule with its groups' states at a glance, for anyone who may read. */
export async function listAlertRules(
  options: Pick<ServiceContext, "db" | "principal">,
): Promise<AlertRuleView[]> {
  authorize(options.principal, "read");
  const rules = await options.db.prisma.alertRule.findMany({ include, orderBy: { name: "asc" } });
  const counts = await stateCounts(
    options.db,
    rules.map((rule) => rule.id),
  );
  return rules.map((rule) => toView(rule, counts.get(rule.id)));
}

export async function getAlertRule(
  options: Pick<ServiceContext, "db" | "principal"> & { rule: string },
): Promise<AlertRuleView> {
  authorize(options.principal, "read");
  const rule = await findAlertRule(options.db, options.rule);
  return toView(rule, (await stateCounts(options.db, [rule.id])).get(rule.id));
}

/** Deletes a rule with its states and history. Its creator or an admin, with "delete". */
export async function deleteAlertRule(
  options: Omit<ServiceContext, "cache"> & { rule: string },
): Promise<void> {
  const { db, principal } = options;
  authorize(principal, "delete");
  const rule = await findAlertRule(db, options.rule);
  if (rule.createdBy !== principal.userId && !isAdmin(principal)) {
    throw new AppError("forbidden", "Only the rule's creator or an admin may delete it.");
  }
  await db.prisma.$transaction(async (tx) => {
    await tx.alertRule.delete({ where: { id: rule.id } });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "alert_rule.delete",
        resource: { type: "alert_rule", id: rule.id },
        summary: { before: { name: rule.name } },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
  });
}
