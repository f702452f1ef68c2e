import { apiRoute } from "../api-route";
import { importRateLimit } from "../../rate-limits";
import { jobParamsSchema } from "../../../imports/imports.schemas";
import { retryImportJob } from "../../../imports/jobs/retry-import-job";

/** Runs a failed or cancelled import again from its kept upload. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]/retry",
  permission: "write",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  status: 202,
  handler: async (input) => retryImportJob({ ...input.services, id: input.params.id }),
});
