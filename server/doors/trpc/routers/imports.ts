import { z } from "zod";

import { cancelImportJob } from "../../../imports/jobs/cancel-import-job";
import { firstRowErrors } from "../../../imports/jobs/first-row-errors";
import { getImportJob } from "../../../imports/jobs/get-import-job";
import { getUploadJob } from "../../../imports/uploads/get-upload-job";
import { jobParamsSchema, listJobsQuerySchema } from "../../../imports/imports.schemas";
import { listImportJobs } from "../../../imports/jobs/list-import-jobs";
import { retryImportJob } from "../../../imports/jobs/retry-import-job";
import { importProcedure, router } from "../init";

/**
 * The console's Imports page: the same services as /api/v1/lake/import/jobs, so the same rules.
 * The bytes themselves go through the tus route, and live progress through its SSE route; the
 * dataset picker uses data.datasets.list.
 */
export const importsRouter = router({
  /** The REST query, plus the `direction` react-query's infinite queries send (always forward). */
  list: importProcedure
    .input(listJobsQuerySchema.extend({ direction: z.enum(["forward", "backward"]).optional() }))
    .query(({ ctx, input: { direction: _direction, ...query } }) =>
      listImportJobs({ ...ctx.services, ...query }),
    ),

  get: importProcedure
    .input(jobParamsSchema)
    .query(({ ctx, input }) => getImportJob({ ...ctx.services, id: input.id })),

  /** The first rejected rows, shown inline under the report (the CSV route has them all). */
  rowErrors: importProcedure
    .input(jobParamsSchema.extend({ limit: z.number().int().min(1).max(50).default(5) }))
    .query(({ ctx, input }) => firstRowErrors({ ...ctx.services, ...input })),

  /** The job a tus upload created (the client knows only the upload's URL). */
  byUpload: importProcedure
    .input(z.object({ uploadId: z.string().regex(/^[0-9a-f]{32}$/, "must be a tus upload id") }))
    .query(({ ctx, input }) => getUploadJob({ ...ctx.services, uploadId: input.uploadId })),

  // Cancel and retry publish progress and drive the queue, so they need all the cache services.
  cancel: importProcedure
    .input(jobParamsSchema)
    .mutation(({ ctx, input }) => cancelImportJob({ ...ctx.services, id: input.id })),

  retry: importProcedure
    .input(jobParamsSchema)
    .mutation(({ ctx, input }) => retryImportJob({ ...ctx.services, id: input.id })),
});
