import { auditFilterSchema } from "../../../audit/audit.schemas";
import { exportAudit } from "../../../audit/export-audit";
import { apiRoute } from "../api-route";

/**
 * The audit log as CSV, filtered like the console's list (?actorEmail, ?action prefix,
 * ?resourceType, ?resourceId, ?from, ?to). Administrators only; the service checks.
 */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/audit/export",
  permission: "read",
  query: auditFilterSchema,
  handler: async (input) => {
    const { db, principal } = input.services;
    const { filename, body } = await exportAudit({ db, principal, filter: input.query });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
      },
    });
  },
});
