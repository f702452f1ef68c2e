import { apiRoute } from "../api-route";
import { getImportJob } from "../../../imports/jobs/get-import-job";
import { importRateLimit } from "../../rate-limits";
import { jobParamsSchema } from "../../../imports/imports.schemas";

/** Progress: bytes, rows per stage, rejected rows, current stage, throughput and ETA. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/import/jobs/[id]",
  permission: "read",
  rateLimit: importRateLimit,
  params: jobParamsSchema,
  handler: async (input) => {
    const { db, principal } = input.services;
    return getImportJob({ db, principal, id: input.params.id });
  },
});
