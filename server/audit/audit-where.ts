import { type Database } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { escapeLikePattern } from "../db/like-pattern";
import { type auditFilterSchema } from "./audit.schemas";
import type { z } from "zod";

type ParsedAuditFilter = z.output<typeof auditFilterSchema>;

/**
 * The conditions of a parsed filter, shared by the list and the CSV export so both select the
 * same entries. null when no entry can match (an actor email nobody has).
 */
export async function auditWhere(
  db: Pick<Database, "prisma">,
  filter: ParsedAuditFilter,
): Promise<Prisma.AuditLogWhereInput[] | null> {
  const where: Prisma.AuditLogWhereInput[] = [];
  if (filter.actorEmail !== undefined) {
    // AuditLog has no relation to users (entries outlive them), so the email is resolved first.
    const users = await db.prisma.user.findMany({
      where: { email: { equals: filter.actorEmail, mode: "insensitive" } },
      select: { id: true },
    });
    if (users.length === 0) return null;
    where.push({ actorId: { in: users.map((user) => user.id) } });
  }
  if (filter.action !== undefined) {
    where.push({ action: { startsWith: escapeLikePattern(filter.action) } });
  }
  if (filter.resourceType !== undefined) where.push({ resourceType: filter.resourceType });
  if (filter.resourceId !== undefined) where.push({ resourceId: filter.resourceId });
  if (filter.from !== undefined) where.push({ at: { gte: filter.from } });
  if (filter.to !== undefined) where.push({ at: { lt: filter.to } });
  return where;
}

/** The current email of each actor of these entries (entries outlive their users). */
export async function actorEmails(
  db: Pick<Database, "prisma">,
  rows: readonly { actorId: string | null }[],
): Promise<Map<string, string>> {
  const actorIds = [...new Set(rows.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  if (actorIds.length === 0) return new Map();
  const actors = await db.prisma.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, email: true },
  });
  return new Map(actors.map((user) => [user.id, user.email]));
}
