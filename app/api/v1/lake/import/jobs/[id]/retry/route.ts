import { apiRoute } from "@/server/http/api-route";
import { importContext } from "@/server/imports/import-context";
import { importRateLimit } from "@/server/imports/import-rate-limit";
import { jobParamsSchema } from "@/server/imports/imports.schemas";
import { retryImportJob } from "@/server/imports/retry-import-job";

export const dynamic = "force-dynamic";

/** Runs a failed or cancelled import again from its kept upload. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]/retry",
  permission: "write",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  status: 202,
  handler: async (input) => retryImportJob({ ...importContext(input), id: input.params.id }),
});
