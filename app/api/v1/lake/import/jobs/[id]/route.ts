import { apiRoute } from "@/server/http/api-route";
import { serviceContext } from "@/server/http/request-services";
import { getImportJob } from "@/server/imports/get-import-job";
import { importRateLimit } from "@/server/imports/import-rate-limit";
import { jobParamsSchema } from "@/server/imports/imports.schemas";

export const dynamic = "force-dynamic";

/** Progress: bytes, rows per stage, rejected rows, current stage, throughput and ETA. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]",
  permission: "read",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  handler: async (input) => {
    const { db, principal } = serviceContext(input);
    return getImportJob({ db, principal, id: input.params.id });
  },
});
