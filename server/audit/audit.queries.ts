import { Prisma } from "../db/generated/client";
import { toAuditRow, type AuditEntry } from "./record-audit";

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
