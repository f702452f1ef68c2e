import { recordAudit } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { AppError } from "../../errors/app-error";
import { type ServiceContext } from "../../service-context";
import { findAggregationRule } from "./get-aggregation-rule";

/**
 * Deletes a rule with its stored windows and late events; windows still open are dropped when
 * they close. Its creator or an admin, with "delete".
 */
export async function deleteAggregationRule(
  options: Omit<ServiceContext, "cache"> & { rule: string },
): Promise<void> {
  const { db, principal } = options;
  authorize(principal, "delete");
  const rule = await findAggregationRule(db, options.rule);
  if (rule.createdBy !== principal.userId && !isAdmin(principal)) {
    throw new AppError("forbidden", "Only the rule's creator or an admin may delete it.");
  }
  await db.prisma.$transaction(async (tx) => {
    await tx.aggregationRule.delete({ where: { id: rule.id } });
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "aggregation_rule.delete",
        resource: { type: "aggregation_rule", id: rule.id },
        summary: { before: { name: rule.name, topic: rule.topic } },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
  });
}
