import { recordAudit } from "../../audit/record-audit";
import { authorize } from "../../auth/authorize";
import { AppError } from "../../errors/app-error";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import {
  aggregationRuleInputSchema,
  type AggregationRuleInput,
  type AggregationRuleView,
} from "./aggregation-rule.schemas";
import { toRuleView } from "./list-aggregation-rules";

/**
 * A new aggregation rule; the engine picks it up within seconds and aggregates events stored
 * from then on (earlier ones: recompute). Needs "write". A taken name is a conflict.
 */
export async function createAggregationRule(
  options: Omit<ServiceContext, "cache"> & { input: unknown },
): Promise<AggregationRuleView> {
  const { db, principal } = options;
  authorize(principal, "write");
  const parsed = aggregationRuleInputSchema.safeParse(options.input);
  if (!parsed.success) throw toAppError(parsed.error);
  const input = parsed.data;
  return db.prisma.$transaction(async (tx) => {
    const [created] = await tx.aggregationRule.createManyAndReturn({
      data: [
        {
          name: input.name,
          topic: input.topic,
          windowSeconds: input.window_seconds,
          graceSeconds: input.grace_seconds,
          functions: input.functions,
          field: input.field,
          groupBy: input.group_by,
          createdBy: principal.userId,
        },
      ],
      skipDuplicates: true,
    });
    if (!created) {
      throw new AppError("conflict", "An aggregation rule with this name already exists.", {
        name: input.name,
      });
    }
    await recordAudit(
      { prisma: tx },
      {
        actor: principal,
        action: "aggregation_rule.create",
        resource: { type: "aggregation_rule", id: created.id },
        summary: { after: input },
        ip: options.ip,
        requestId: options.requestId,
      },
    );
    return toRuleView(created);
  });
}

export type { AggregationRuleInput };
