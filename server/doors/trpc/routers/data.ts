import { z } from "zod";

import { createDataset } from "../../../data/datasets/create-dataset";
import {
  createDatasetInputSchema,
  updateDatasetInputSchema,
} from "../../../data/datasets/datasets.schemas";
import { deleteDataset } from "../../../data/datasets/delete-dataset";
import { listDatasets } from "../../../data/datasets/list-datasets";
import { updateDataset } from "../../../data/datasets/update-dataset";
import { archiveCriteriaSchema } from "../../../data/records/archive.schemas";
import { createRecords } from "../../../data/records/create-records";
import { deleteRecord } from "../../../data/records/delete-record";
import { getRecord } from "../../../data/records/get-record";
import { queryRecords } from "../../../data/records/query-records";
import { parseRecordQuery } from "../../../data/records/query/parse-record-query";
import { payloadSchema } from "../../../data/records/records.schemas";
import { replaceRecord } from "../../../data/records/replace-record";
import { setArchived } from "../../../data/records/set-archived";
import { dataProcedure, router } from "../init";

export const dataRouter = router({
  datasets: router({
    list: dataProcedure.query(({ ctx }) => listDatasets(ctx.services)),
    create: dataProcedure
      .input(createDatasetInputSchema)
      .mutation(({ ctx, input: { payload_index, ...fields } }) =>
        createDataset({ ...ctx.services, ...fields, payloadIndex: payload_index }),
      ),
    update: dataProcedure
      .input(updateDatasetInputSchema.extend({ dataset: z.string().min(1) }))
      .mutation(({ ctx, input: { dataset, payload_index, ...changes } }) =>
        updateDataset({
          ...ctx.services,
          datasetRef: dataset,
          ...changes,
          payloadIndex: payload_index,
        }),
      ),
    delete: dataProcedure
      .input(z.object({ dataset: z.string().min(1), force: z.boolean().default(false) }))
      .mutation(({ ctx, input }) =>
        deleteDataset({ ...ctx.services, datasetRef: input.dataset, force: input.force }),
      ),
  }),

  records: router({
    /** `params` is the query string of GET /api/v1/lake/data, so the console and the API agree. */
    query: dataProcedure.input(z.object({ params: z.string().max(8192) })).query(({ ctx, input }) =>
      queryRecords({
        ...ctx.services,
        query: parseRecordQuery(new URLSearchParams(input.params)),
      }),
    ),
    get: dataProcedure
      .input(z.object({ id: z.uuid() }))
      .query(({ ctx, input }) => getRecord({ ...ctx.services, id: input.id })),
    create: dataProcedure
      .input(z.object({ dataset: z.string().min(1), payload: payloadSchema }))
      .mutation(
        async ({ ctx, input }) =>
          (
            await createRecords({
              ...ctx.services,
              dataset: input.dataset,
              payloads: [input.payload],
            })
          )[0]!,
      ),
    replace: dataProcedure
      .input(z.object({ id: z.uuid(), payload: payloadSchema, etag: z.string().optional() }))
      .mutation(({ ctx, input }) =>
        replaceRecord({
          ...ctx.services,
          id: input.id,
          payload: input.payload,
          ifMatch: input.etag,
        }),
      ),
    delete: dataProcedure
      .input(z.object({ id: z.uuid(), etag: z.string().optional() }))
      .mutation(({ ctx, input }) =>
        deleteRecord({ ...ctx.services, id: input.id, ifMatch: input.etag }),
      ),
    archive: dataProcedure
      .input(archiveCriteriaSchema)
      .mutation(({ ctx, input }) =>
        setArchived({ ...ctx.services, criteria: input, archived: true }),
      ),
    restore: dataProcedure
      .input(archiveCriteriaSchema)
      .mutation(({ ctx, input }) =>
        setArchived({ ...ctx.services, criteria: input, archived: false }),
      ),
  }),
});
