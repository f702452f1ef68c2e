import { createDataset } from "@/server/data/datasets/create-dataset";
import { createDatasetBodySchema } from "@/server/data/datasets/datasets.schemas";
import { listDatasets } from "@/server/data/datasets/list-datasets";
import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";

export const dynamic = "force-dynamic";

export const GET = apiRoute({
  endpoint: "/api/v1/lake/datasets",
  permission: "read",
  rateLimit: dataRateLimit,
  handler: async (input) => ({ datasets: await listDatasets(serviceContext(input)) }),
});

export const POST = apiRoute({
  endpoint: "/api/v1/lake/datasets",
  permission: "write",
  rateLimit: dataRateLimit,
  body: createDatasetBodySchema,
  status: 201,
  handler: (input) => createDataset({ ...serviceContext(input), ...input.body }),
});
