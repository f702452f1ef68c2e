import { isAdmin, type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { recentActivitySchema, type RecentActivity } from "../overview/overview.schemas";

export type ListRecentActivityOptions = {
  db: Pick<Database, "prisma">;
  principal: Principal;
  /** 1–50; 10 when omitted. */
  limit?: number;
};

/**
 * The newest audit entries for the dashboard. The audit log is an administrator's page
 * (listAudit: admin role and "read"), so only they see everyone's entries here; anyone else sees
 * what they did themselves — never what others did, nor what was done to them.
 */
export async function listRecentActivity(
  options: ListRecentActivityOptions,
): Promise<RecentActivity> {
  const { db, principal } = options;
  const all = isAdmin(principal) && principal.permissions.has("read");
  const limit = Math.min(Math.max(options.limit ?? 10, 1), 50);
  const rows = await db.prisma.auditLog.findMany({
    where: all ? {} : { actorId: principal.userId },
    orderBy: { id: "desc" },
    take: limit,
  });
  const actorIds = [...new Set(rows.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  const actors =
    actorIds.length === 0
      ? []
      : await db.prisma.user.findMany({
          where: { id: { in: actorIds } },
          select: { id: true, email: true },
        });
  const emails = new Map(actors.map((user) => [user.id, user.email]));
  return recentActivitySchema.parse({
    scope: all ? "all" : "own",
    items: rows.map((row) => ({
      id: row.id.toString(),
      at: row.at,
      actorEmail: row.actorId ? (emails.get(row.actorId) ?? "deleted user") : null,
      action: row.action,
      resourceType: row.resourceType,
      resourceId: row.resourceId,
    })),
  });
}
