import type { Prisma } from "../db/generated/client";
import { type DbClient } from "../db/transaction";
import type { Principal } from "../auth/principal";
import type { AuditAction } from "./audit-actions";

export type AuditEntry = {
  /** null for anonymous actions, e.g. a failed sign-in with an unknown email. */
  actor: Pick<Principal, "userId" | "via" | "apiKeyId"> | null;
  /** Dotted verb, e.g. "auth.sign_in.success", "api_key.rotate": one of AUDIT_ACTIONS. */
  action: AuditAction;
  resource: { type: string; id?: string | null };
  /** What changed, never a secret: `{ before, after }` summaries, reasons, counts. */
  summary?: Record<string, unknown>;
  ip?: string | null;
  requestId?: string | null;
};

export function toAuditRow(entry: AuditEntry): Prisma.AuditLogCreateManyInput {
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
