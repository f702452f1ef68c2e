import { authorize } from "../../auth/authorize";
import { type DbClient } from "../../db/transaction";
import { type AggregationRule } from "../../db/generated/client";
import { type ServiceContext } from "../../service-context";
import { type AggregationRuleView } from "./aggregation-rule.schemas";

export function toRuleView(rule: AggregationRule): AggregationRuleView {
  return {
    id: rule.id,
    name: rule.name,
    topic: rule.topic,
    window_seconds: rule.windowSeconds,
    grace_seconds: rule.graceSeconds,
    functions: rule.functions,
    field: rule.field,
    group_by: rule.groupBy,
    created_at: rule.createdAt.toISOString(),
    updated_at: rule.updatedAt.toISOString(),
  };
}

/** Every rule, for the engine (no caller: it applies them all). */
export function listAggregationRules({ db }: { db: DbClient }): Promise<AggregationRule[]> {
  return db.prisma.aggregationRule.findMany({ orderBy: { name: "asc" } });
}

/**
 * The rules, for anyone who may read: a rule says what is aggregated, not any owner's data (an
 * owner_only topic's windows are each owner's own: list-windows.ts).
 */
export async function findAggregationRules(
  options: Pick<ServiceContext, "db" | "principal">,
): Promise<AggregationRuleView[]> {
  authorize(options.principal, "read");
  return (await listAggregationRules(options)).map(toRuleView);
}
