import { z } from "zod";

import { authorize } from "../../auth/authorize";
import { isAdmin } from "../../auth/principal";
import { toAppError } from "../../errors/to-app-error";
import { type ServiceContext } from "../../service-context";
import { type AlertTransitionView } from "./alert-rule.schemas";
import { findAlertRule } from "./alert-rules";

export const transitionQuerySchema = z
  .object({ limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

/**
 * A rule's latest state changes, newest first: the timeline. An owner_only topic's groups are
 * each owner's, as their windows are.
 */
export async function listAlertTransitions(
  options: Pick<ServiceContext, "db" | "principal"> & { rule: string; query: unknown },
): Promise<AlertTransitionView[]> {
  const { db, principal } = options;
  authorize(principal, "read");
  const parsed = transitionQuerySchema.safeParse(options.query);
  if (!parsed.success) throw toAppError(parsed.error);
  const rule = await findAlertRule(db, options.rule);
  const transitions = await db.prisma.alertTransition.findMany({
    where: {
      alertRuleId: rule.id,
      ...(isAdmin(principal)
        ? {}
        : { OR: [{ policy: "analytics" }, { ownerId: principal.userId }] }),
    },
    orderBy: { id: "desc" },
    take: parsed.data.limit,
  });
  return transitions.map((t) => ({
    id: t.id.toString(),
    alert: rule.name,
    group: t.groupValues as Record<string, unknown>,
    from: t.fromState,
    to: t.toState,
    value: t.value,
    threshold: t.threshold,
    window_start: t.windowStart.toISOString(),
    window_end: t.windowEnd.toISOString(),
    at: t.at.toISOString(),
  }));
}
