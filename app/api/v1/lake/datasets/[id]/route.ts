import { z } from "zod";

import { deleteDataset } from "@/server/data/datasets/delete-dataset";
import { updateDatasetBodySchema } from "@/server/data/datasets/datasets.schemas";
import { getDataset } from "@/server/data/datasets/get-dataset";
import { invalidateDataset } from "@/server/data/datasets/invalidate-dataset";
import { updateDataset } from "@/server/data/datasets/update-dataset";
import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";

export const dynamic = "force-dynamic";

// {id} is the dataset's id or its name.
const params = z.object({ id: z.string().min(1).max(200) });

export const GET = apiRoute({
  endpoint: "/api/v1/lake/datasets/[id]",
  permission: "read",
  rateLimit: dataRateLimit,
  params,
  handler: (input) => getDataset({ ...serviceContext(input), datasetRef: input.params.id }),
});

export const PATCH = apiRoute({
  endpoint: "/api/v1/lake/datasets/[id]",
  permission: "write",
  rateLimit: dataRateLimit,
  params,
  body: updateDatasetBodySchema,
  handler: async (input) => {
    const context = serviceContext(input);
    const dataset = await updateDataset({ ...context, datasetRef: input.params.id, ...input.body });
    await invalidateDataset(context.cache, dataset.id);
    return dataset;
  },
});

/** `?force=true` deletes a dataset that still has records, and the records with it. */
export const DELETE = apiRoute({
  endpoint: "/api/v1/lake/datasets/[id]",
  permission: "delete",
  rateLimit: dataRateLimit,
  params,
  query: z.object({ force: z.enum(["true", "false"]).default("false") }).strict(),
  handler: async (input) => {
    const context = serviceContext(input);
    const { id } = await deleteDataset({
      ...context,
      datasetRef: input.params.id,
      force: input.query.force === "true",
    });
    await invalidateDataset(context.cache, id);
    return new Response(null, { status: 204 });
  },
});
