import { requireAdmin } from "../auth/authorize";
import { type Principal } from "../auth/principal";
import { type Database } from "../db/client";
import { toAppError } from "../errors/to-app-error";
import { actorEmails, auditWhere } from "./audit-where";
import { auditFilterSchema, toAuditView, type AuditFilter, type AuditView } from "./audit.schemas";

const PAGE = 1000;

export const AUDIT_CSV_COLUMNS = [
  "id",
  "at",
  "actor_id",
  "actor_email",
  "actor_type",
  "action",
  "resource_type",
  "resource_id",
  "ip",
  "request_id",
  "summary",
] as const;

/**
 * RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would run as a formula
 * (OWASP's CSV injection advice): summaries hold names users chose, e.g. "=HYPERLINK(…)".
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csvLine(entry: AuditView): string {
  const fields = [
    entry.id,
    entry.at.toISOString(),
    entry.actor?.id ?? "",
    entry.actor?.email ?? "",
    entry.actorType,
    entry.action,
    entry.resourceType,
    entry.resourceId ?? "",
    entry.ip ?? "",
    entry.requestId ?? "",
    JSON.stringify(entry.summary),
  ];
  return `${fields.map(csvField).join(",")}\r\n`;
}

export type ExportAuditOptions = {
  db: Database;
  /** An administrator; an admin API key also needs the "read" scope. */
  principal: Principal;
  /** listAudit's filter: the export holds exactly the entries the list shows, all pages. */
  filter?: AuditFilter;
};

/**
 * The audit log as CSV, newest first, streamed a thousand entries at a time by the same keyset as
 * the list, so an export of the whole log never sits in memory and entries written meanwhile
 * neither repeat nor shift it. Permission and filter are checked before the first byte.
 */
export async function exportAudit(
  options: ExportAuditOptions,
): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const { db, principal } = options;
  requireAdmin(principal, "read");
  const parsed = auditFilterSchema.safeParse(options.filter ?? {});
  if (!parsed.success) throw toAppError(parsed.error);
  const where = await auditWhere(db, parsed.data);

  const page = async (before: bigint | undefined) => {
    if (where === null) return [];
    const rows = await db.prisma.auditLog.findMany({
      where: { AND: [...where, ...(before === undefined ? [] : [{ id: { lt: before } }])] },
      orderBy: { id: "desc" },
      take: PAGE,
    });
    return rows;
  };
  // The first page is read before the answer starts: a filter the database refuses (a date out
  // of its range, say) is then an error envelope, not an answer cut off after its header.
  let rows = await page(undefined);
  const encoder = new TextEncoder();
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${AUDIT_CSV_COLUMNS.join(",")}\r\n`));
        return;
      }
      if (rows.length === 0) return controller.close();
      const emails = await actorEmails(db, rows);
      controller.enqueue(
        encoder.encode(rows.map((row) => csvLine(toAuditView(row, emails))).join("")),
      );
      rows = rows.length < PAGE ? [] : await page(rows.at(-1)!.id);
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  return { filename: `audit-log-${stamp}.csv`, body };
}
