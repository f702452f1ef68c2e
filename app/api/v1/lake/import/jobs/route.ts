import { apiRoute } from "@/server/http/api-route";
import { serviceContext } from "@/server/http/request-services";
import { importContext } from "@/server/imports/import-context";
import { importRateLimit } from "@/server/imports/import-rate-limit";
import { listJobsQuerySchema, startJobBodySchema } from "@/server/imports/imports.schemas";
import { listImportJobs } from "@/server/imports/list-import-jobs";
import { startImportJob } from "@/server/imports/start-import-job";

export const dynamic = "force-dynamic";

/** Import history: the caller's own, everyone's for administrators. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/import/jobs",
  permission: "read",
  rateLimit: importRateLimit,
  query: listJobsQuerySchema,
  handler: async (input) => {
    const { db, principal } = serviceContext(input);
    return listImportJobs({ db, principal, ...input.query });
  },
});

/** Starts the import of a complete upload (one created with `start=manual`). */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/import/jobs",
  permission: "write",
  rateLimit: importRateLimit,
  body: startJobBodySchema,
  status: 202,
  handler: async (input) => {
    return startImportJob({ ...importContext(input), uploadId: input.body.upload_id });
  },
});
