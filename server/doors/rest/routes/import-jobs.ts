import { apiRoute } from "../api-route";
import { importRateLimit } from "../../rate-limits";
import { listJobsQuerySchema, startJobBodySchema } from "../../../imports/imports.schemas";
import { listImportJobs } from "../../../imports/jobs/list-import-jobs";
import { startImportJob } from "../../../imports/jobs/start-import-job";

/** Import history: the caller's own, everyone's for administrators. */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/import/jobs",
  permission: "read",
  rateLimit: importRateLimit,
  query: listJobsQuerySchema,
  handler: async (input) => {
    const { db, principal } = input.services;
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
    return startImportJob({ ...input.services, uploadId: input.body.upload_id });
  },
});
