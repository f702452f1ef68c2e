import { z } from "zod";

import { cacheServices } from "../../cache/client";
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
import { database } from "../../db/client";
import { protectedProcedure, router } from "../init";

/** The services REST uses, for the console's Data page; only the transport differs. */
const context = (ctx: {
  principal: Parameters<typeof listDatasets>[0]["principal"];
  ip: string | null;
  requestId: string;
}) => ({
  db: database(),
  cache: cacheServices().cache,
  principal: ctx.principal,
  ip: ctx.ip,
  requestId: ctx.requestId,
});

export const dataRouter = router({
  datasets: router({
    list: protectedProcedure.query(({ ctx }) => listDatasets(context(ctx))),
    create: protectedProcedure
      .input(createDatasetInputSchema)
      .mutation(({ ctx, input }) => createDataset({ ...context(ctx), ...input })),
    update: protectedProcedure
      .input(updateDatasetInputSchema.extend({ dataset: z.string().min(1) }))
      .mutation(async ({ ctx, input: { dataset, ...changes } }) => {
        const updated = await updateDataset({ ...context(ctx), datasetRef: dataset, ...changes });
        await invalidateDataset(cacheServices().cache, updated.id);
        return updated;
      }),
    delete: protectedProcedure
      .input(z.object({ dataset: z.string().min(1), force: z.boolean().default(false) }))
      .mutation(async ({ ctx, input }) => {
        const deleted = await deleteDataset({
          ...context(ctx),
          datasetRef: input.dataset,
          force: input.force,
        });
        await invalidateDataset(cacheServices().cache, deleted.id);
        return deleted;
      }),
  }),

  records: router({
    /** `params` is the query string of GET /api/v1/lake/data, so the console and the API agree. */
    query: protectedProcedure
      .input(z.object({ params: z.string().max(8192) }))
      .query(({ ctx, input }) =>
        queryRecords({
          ...context(ctx),
          query: parseRecordQuery(new URLSearchParams(input.params)),
        }),
      ),
    get: protectedProcedure
      .input(z.object({ id: z.uuid() }))
      .query(({ ctx, input }) => getRecord({ ...context(ctx), id: input.id })),
    create: protectedProcedure
      .input(z.object({ dataset: z.string().min(1), payload: payloadSchema }))
      .mutation(
        async ({ ctx, input }) =>
          (
            await createRecords({
              ...context(ctx),
              dataset: input.dataset,
              payloads: [input.payload],
            })
          )[0]!,
      ),
    replace: protectedProcedure
      .input(z.object({ id: z.uuid(), payload: payloadSchema, etag: z.string().optional() }))
      .mutation(({ ctx, input }) =>
        replaceRecord({
          ...context(ctx),
          id: input.id,
          payload: input.payload,
          ifMatch: input.etag,
        }),
      ),
    delete: protectedProcedure
      .input(z.object({ id: z.uuid(), etag: z.string().optional() }))
      .mutation(({ ctx, input }) =>
        deleteRecord({ ...context(ctx), id: input.id, ifMatch: input.etag }),
      ),
    archive: protectedProcedure
      .input(archiveCriteriaSchema)
      .mutation(({ ctx, input }) =>
        setArchived({ ...context(ctx), criteria: input, archived: true }),
      ),
    restore: protectedProcedure
      .input(archiveCriteriaSchema)
      .mutation(({ ctx, input }) =>
        setArchived({ ...context(ctx), criteria: input, archived: false }),
      ),
  }),
});
