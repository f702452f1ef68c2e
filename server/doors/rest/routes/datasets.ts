import { createDataset } from "../../../data/datasets/create-dataset";
import { createDatasetBodySchema } from "../../../data/datasets/datasets.schemas";
import { listDatasets } from "../../../data/datasets/list-datasets";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";

export const GET = apiRoute({
  endpoint: "/api/v1/lake/datasets",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: async (input) => ({ datasets: await listDatasets(input.services) }),
});

export const POST = apiRoute({
  endpoint: "/api/v1/lake/datasets",
  permission: "write",
  rateLimit: dataRateLimit,
  body: createDatasetBodySchema,
  status: 201,
  handler: ({ services, body: { payload_index, ...fields } }) =>
    createDataset({ ...services, ...fields, payloadIndex: payload_index }),
});
