import { apiRoute } from "../api-route";
import { cancelImportJob } from "../../../imports/jobs/cancel-import-job";
import { importRateLimit } from "../../rate-limits";
import { jobParamsSchema } from "../../../imports/imports.schemas";

/** Cancels the import wherever it is; whatever it loaded is removed. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]/cancel",
  permission: "write",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  handler: async (input) => cancelImportJob({ ...input.services, id: input.params.id }),
});
