import { apiRoute } from "@/server/http/api-route";
import { serviceContext } from "@/server/http/request-services";
import { exportRowErrors } from "@/server/imports/export-row-errors";
import { importRateLimit } from "@/server/imports/import-rate-limit";
import { jobParamsSchema } from "@/server/imports/imports.schemas";

export const dynamic = "force-dynamic";

/** The error report as CSV: `line,column,reason`, one row per rejected row. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]/errors",
  permission: "read",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  handler: async (input) => {
    const { db, principal } = serviceContext(input);
    const { filename, body } = await exportRowErrors({ db, principal, id: input.params.id });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
      },
    });
  },
});
