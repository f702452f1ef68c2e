import { requireAdmin } from "../auth/authorize";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { toAppError } from "../errors/to-app-error";
import {
  listAuditInputSchema,
  toAuditView,
  type AuditFilter,
  type ListAuditResult,
} from "./audit.schemas";

export type ListAuditOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "read" scope. */
  principal: Principal;
  /** Every given condition must hold. `from` is inclusive, `to` exclusive. */
  filter?: AuditFilter;
  /** nextCursor from the previous page; omitted for the first page. */
  cursor?: string;
  /** 1–200; 50 when omitted. */
  limit?: number;
};

/**
 * Prisma passes startsWith into LIKE unescaped, where "_" (common in action names, e.g.
 * "api_key.") would match any character and "%" anything.
 */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * The audit log, newest first, a page at a time. Ordered by id rather than time: ids follow
 * commit order closely enough for reading, and unlike timestamps they are unique, which the
 * keyset needs.
 */
export async function listAudit(options: ListAuditOptions): Promise<ListAuditResult> {
  const { db, principal } = options;
  requireAdmin(principal, "read");
  const parsed = listAuditInputSchema.safeParse({
    filter: options.filter,
    cursor: options.cursor,
    limit: options.limit,
  });
  if (!parsed.success) throw toAppError(parsed.error);
  const { filter, cursor, limit } = parsed.data;

  const where: Prisma.AuditLogWhereInput[] = [];
  if (filter.actorEmail !== undefined) {
    // AuditLog has no relation to users (entries outlive them), so the email is resolved first.
    const users = await db.prisma.user.findMany({
      where: { email: { equals: filter.actorEmail, mode: "insensitive" } },
      select: { id: true },
    });
    if (users.length === 0) return { items: [], nextCursor: null };
    where.push({ actorId: { in: users.map((user) => user.id) } });
  }
  if (filter.action !== undefined) {
    where.push({ action: { startsWith: escapeLikePattern(filter.action) } });
  }
  if (filter.from !== undefined) where.push({ at: { gte: filter.from } });
  if (filter.to !== undefined) where.push({ at: { lt: filter.to } });
  if (cursor !== undefined) where.push({ id: { lt: BigInt(cursor) } });

  // One extra row tells whether another page follows without a count over the whole log.
  const rows = await db.prisma.auditLog.findMany({
    where: { AND: where },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const actorIds = [...new Set(page.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  const actors =
    actorIds.length === 0
      ? []
      : await db.prisma.user.findMany({
          where: { id: { in: actorIds } },
          select: { id: true, email: true },
        });
  const emails = new Map(actors.map((user) => [user.id, user.email]));
  const last = page.at(-1);
  return {
    items: page.map((row) => toAuditView(row, emails)),
    nextCursor: rows.length > limit && last ? last.id.toString() : null,
  };
}
