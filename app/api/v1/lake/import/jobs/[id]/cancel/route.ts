import { apiRoute } from "@/server/http/api-route";
import { cancelImportJob } from "@/server/imports/cancel-import-job";
import { importContext } from "@/server/imports/import-context";
import { importRateLimit } from "@/server/imports/import-rate-limit";
import { jobParamsSchema } from "@/server/imports/imports.schemas";

export const dynamic = "force-dynamic";

/** Cancels the import wherever it is; whatever it loaded is removed. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]/cancel",
  permission: "write",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  handler: async (input) => cancelImportJob({ ...importContext(input), id: input.params.id }),
});
