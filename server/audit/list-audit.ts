import { requireAdmin } from "../auth/authorize";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { toAppError } from "../errors/to-app-error";
import { actorEmails, auditWhere } from "./audit-where";
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
  /**
   * Every given condition must hold: `action` is a prefix, resource type and id are exact, `from`
   * is inclusive, `to` exclusive.
   */
  filter?: AuditFilter;
  /** nextCursor from the previous page; omitted for the first page. */
  cursor?: string;
  /** 1–200; 50 when omitted. */
  limit?: number;
};

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

  const where = await auditWhere(db, filter);
  if (where === null) return { items: [], nextCursor: null };
  if (cursor !== undefined) where.push({ id: { lt: BigInt(cursor) } });

  // One extra row tells whether another page follows without a count over the whole log.
  const rows = await db.prisma.auditLog.findMany({
    where: { AND: where },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const emails = await actorEmails(db, page);
  const last = page.at(-1);
  return {
    items: page.map((row) => toAuditView(row, emails)),
    nextCursor: rows.length > limit && last ? last.id.toString() : null,
  };
}
