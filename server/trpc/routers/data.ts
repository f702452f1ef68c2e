import { z } from "zod";

import { createDataset } from "../../data/datasets/create-dataset";
import {
  createDatasetInputSchema,
  updateDatasetInputSchema,
} from "../../data/datasets/datasets.schemas";
import { deleteDataset } from "../../data/datasets/delete-dataset";
import { invalidateDataset } from "../../data/datasets/invalidate-dataset";
import { listDatasets } from "../../data/datasets/list-datasets";
import { updateDataset } from "../../data/datasets/update-dataset";
import { archiveCriteriaSchema } from "../../data/records/archive.schemas";
import { createRecords } from "../../data/records/create-records";
import { deleteRecord } from "../../data/records/delete-record";
import { getRecord } from "../../data/records/get-record";
import { queryRecords } from "../../data/records/query-records";
import { parseRecordQuery } from "../../data/records/query/parse-record-query";
import { payloadSchema } from "../../data/records/records.schemas";
import { replaceRecord } from "../../data/records/replace-record";
import { setArchived } from "../../data/records/set-archived";
import { servicesFor } from "../../services";
import { protectedProcedure, router } from "../init";

export const dataRouter = router({
  datasets: router({
    list: protectedProcedure.query(({ ctx }) => listDatasets(servicesFor(ctx))),
    create: protectedProcedure
      .input(createDatasetInputSchema)
      .mutation(({ ctx, input }) => createDataset({ ...servicesFor(ctx), ...input })),
    update: protectedProcedure
      .input(updateDatasetInputSchema.extend({ dataset: z.string().min(1) }))
      .mutation(async ({ ctx, input: { dataset, ...changes } }) => {
        const updated = await updateDataset({
          ...servicesFor(ctx),
          datasetRef: dataset,
          ...changes,
        });
        await invalidateDataset(servicesFor(ctx).cache, updated.id);
        return updated;
      }),
    delete: protectedProcedure
      .input(z.object({ dataset: z.string().min(1), force: z.boolean().default(false) }))
      .mutation(async ({ ctx, input }) => {
        const deleted = await deleteDataset({
          ...servicesFor(ctx),
          datasetRef: input.dataset,
          force: input.force,
        });
        await invalidateDataset(servicesFor(ctx).cache, deleted.id);
        return deleted;
      }),
  }),

  records: router({
    /** `params` is the query string of GET /api/v1/lake/data, so the console and the API agree. */
    query: protectedProcedure
      .input(z.object({ params: z.string().max(8192) }))
      .query(({ ctx, input }) =>
        queryRecords({
          ...servicesFor(ctx),
          query: parseRecordQuery(new URLSearchParams(input.params)),
        }),
      ),
    get: protectedProcedure
      .input(z.object({ id: z.uuid() }))
      .query(({ ctx, input }) => getRecord({ ...servicesFor(ctx), id: input.id })),
    create: protectedProcedure
      .input(z.object({ dataset: z.string().min(1), payload: payloadSchema }))
      .mutation(
        async ({ ctx, input }) =>
          (
            await createRecords({
              ...servicesFor(ctx),
              dataset: input.dataset,
              payloads: [input.payload],
            })
          )[0]!,
      ),
    replace: protectedProcedure
      .input(z.object({ id: z.uuid(), payload: payloadSchema, etag: z.string().optional() }))
      .mutation(({ ctx, input }) =>
        replaceRecord({
          ...servicesFor(ctx),
          id: input.id,
          payload: input.payload,
          ifMatch: input.etag,
        }),
      ),
    delete: protectedProcedure
      .input(z.object({ id: z.uuid(), etag: z.string().optional() }))
      .mutation(({ ctx, input }) =>
        deleteRecord({ ...servicesFor(ctx), id: input.id, ifMatch: input.etag }),
      ),
    archive: protectedProcedure
      .input(archiveCriteriaSchema)
      .mutation(({ ctx, input }) =>
        setArchived({ ...servicesFor(ctx), criteria: input, archived: true }),
      ),
    restore: protectedProcedure
      .input(archiveCriteriaSchema)
      .mutation(({ ctx, input }) =>
        setArchived({ ...servicesFor(ctx), criteria: input, archived: false }),
      ),
  }),
});
