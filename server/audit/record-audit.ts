import { Prisma } from "../db/generated/client";
import { type DbClient } from "../db/transaction";
import type { Principal } from "../auth/principal";

export type AuditEntry = {
  /** null for anonymous actions, e.g. a failed sign-in with an unknown email. */
  actor: Pick<Principal, "userId" | "via" | "apiKeyId"> | null;
  /** Dotted verb, e.g. "auth.sign_in", "api_key.rotate", "record.update". */
  action: string;
  resource: { type: string; id?: string | null };
  /** What changed, never a secret: `{ before, after }` summaries, reasons, counts. */
  summary?: Record<string, unknown>;
  ip?: string | null;
  requestId?: string | null;
};

function toAuditRow(entry: AuditEntry): Prisma.AuditLogCreateManyInput {
  return {
    actorId: entry.actor?.userId ?? null,
    actorType: entry.actor ? entry.actor.via : "anonymous",
    action: entry.action,
    resourceType: entry.resource.type,
    resourceId: entry.resource.id ?? null,
    summary: (entry.summary ?? {}) as Prisma.InputJsonValue,
    ip: entry.ip ?? null,
    requestId: entry.requestId ?? null,
  };
}

/**
 * Appends one entry to the audit log. Every change in the product goes through here; nothing in
 * server/ updates or deletes audit rows. Pass a transaction client to commit it with the change.
 */
export async function recordAudit(db: DbClient, entry: AuditEntry): Promise<void> {
  await db.prisma.auditLog.create({ data: toAuditRow(entry) });
}

/** Many entries in one statement (bulk writes audit every record they touch). */
export async function recordAuditMany(db: DbClient, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.prisma.auditLog.createMany({ data: entries.map(toAuditRow) });
}

/**
 * An `INSERT INTO audit_log` for entries, as SQL to run in the same statement as the change it
 * audits (a data-modifying CTE): one round trip on the hottest writes, and still all or nothing.
 */
export function auditInsertSql(entries: AuditEntry[]): Prisma.Sql {
  const rows = entries.map(toAuditRow);
  return Prisma.sql`INSERT INTO audit_log
      (actor_id, actor_type, action, resource_type, resource_id, summary, ip, request_id)
    SELECT * FROM unnest(
      ${rows.map((row) => row.actorId ?? null)}::uuid[],
      ${rows.map((row) => row.actorType)}::text[],
      ${rows.map((row) => row.action)}::text[],
      ${rows.map((row) => row.resourceType)}::text[],
      ${rows.map((row) => row.resourceId ?? null)}::text[],
      ${rows.map((row) => JSON.stringify(row.summary ?? {}))}::text[]::jsonb[],
      ${rows.map((row) => row.ip ?? null)}::text[],
      ${rows.map((row) => row.requestId ?? null)}::text[]
    )`;
}
