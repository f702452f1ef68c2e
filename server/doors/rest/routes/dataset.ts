import { z } from "zod";

import { deleteDataset } from "../../../data/datasets/delete-dataset";
import { updateDatasetBodySchema } from "../../../data/datasets/datasets.schemas";
import { getDataset } from "../../../data/datasets/get-dataset";
import { updateDataset } from "../../../data/datasets/update-dataset";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

// {id} is the dataset's id or its name.
const params = z.object({ id: z.string().min(1).max(200) });

export const GET = apiRoute({
  endpoint: "/api/v1/lake/datasets/[id]",
  permission: "read",
  rateLimit: dataRateLimit,
  params,
  handler: (input) => getDataset({ ...input.services, datasetRef: input.params.id }),
});

export const PATCH = apiRoute({
  endpoint: "/api/v1/lake/datasets/[id]",
  permission: "write",
  rateLimit: dataRateLimit,
  params,
  body: updateDatasetBodySchema,
  handler: ({ services, params, body: { payload_index, ...changes } }) =>
    updateDataset({ ...services, datasetRef: params.id, ...changes, payloadIndex: payload_index }),
});

/** `?force=true` deletes a dataset that still has records, and the records with it. */
export const DELETE = apiRoute({
  endpoint: "/api/v1/lake/datasets/[id]",
  permission: "delete",
  rateLimit: dataRateLimit,
  params,
  query: z.object({ force: z.enum(["true", "false"]).default("false") }).strict(),
  handler: async (input) => {
    await deleteDataset({
      ...input.services,
      datasetRef: input.params.id,
      force: input.query.force === "true",
    });
    return new Response(null, { status: 204 });
  },
});
