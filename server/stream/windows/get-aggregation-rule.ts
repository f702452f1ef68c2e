import { authorize } from "../../auth/authorize";
import { type AggregationRule } from "../../db/generated/client";
import { type DbClient } from "../../db/transaction";
import { AppError } from "../../errors/app-error";
import { type ServiceContext } from "../../service-context";
import { type AggregationRuleView } from "./aggregation-rule.schemas";
import { toRuleView } from "./list-aggregation-rules";
import { idOrName } from "../../input/uuid";

/** A rule by id or by name (URLs take either), or not_found. */
export async function findAggregationRule(db: DbClient, rule: string): Promise<AggregationRule> {
  const found = await db.prisma.aggregationRule.findFirst({
    where: idOrName(rule),
  });
  if (!found) throw new AppError("not_found", "The aggregation rule was not found.");
  return found;
}

export async function getAggregationRule(
  options: Pick<ServiceContext, "db" | "principal"> & { rule: string },
): Promise<AggregationRuleView> {
  authorize(options.principal, "read");
  return toRuleView(await findAggregationRule(options.db, options.rule));
}
