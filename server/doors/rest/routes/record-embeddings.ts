import { recordParamsSchema } from "../../../data/records/record-requests.schemas";
import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { getEmbeddings } from "../../../vectors/embeddings/get-embeddings";

/** Every embedding of a record (one per vector type). */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/data/[id]/embeddings",
  permission: "read",
  rateLimit: dataRateLimit,
  params: recordParamsSchema,
  handler: async (input) => ({
    items: await getEmbeddings({ ...input.services, recordId: input.params.id }),
  }),
});
