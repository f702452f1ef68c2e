import { recordParamsSchema } from "@/server/data/records/record-requests.schemas";
import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";
import { getEmbeddings } from "@/server/vectors/embeddings/get-embeddings";

export const dynamic = "force-dynamic";

/** Every embedding of a record (one per vector type). */
export const GET = apiRoute({
  endpoint: "/api/v1/lake/data/[id]/embeddings",
  permission: "read",
  rateLimit: dataRateLimit,
  params: recordParamsSchema,
  handler: async (input) => ({
    items: await getEmbeddings({ ...serviceContext(input), recordId: input.params.id }),
  }),
});
