import { apiRoute } from "../api-route";
import { exportRowErrors } from "../../../imports/jobs/export-row-errors";
import { importRateLimit } from "../../rate-limits";
import { jobParamsSchema } from "../../../imports/imports.schemas";

/** The error report as CSV: `line,column,reason`, one row per rejected row. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]/errors",
  permission: "read",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  handler: async (input) => {
    const { db, principal } = input.services;
    const { filename, body } = await exportRowErrors({ db, principal, id: input.params.id });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
      },
    });
  },
});
