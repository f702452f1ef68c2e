import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";
import { upsertEmbeddings } from "@/server/vectors/embeddings/upsert-embeddings";
import { bulkEmbeddingsBodySchema } from "@/server/vectors/vectors.schemas";

export const dynamic = "force-dynamic";

/** Many embeddings on many records, all or nothing. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/vectors/embeddings",
  permission: "write",
  rateLimit: dataRateLimit,
  body: bulkEmbeddingsBodySchema,
  handler: (input) => upsertEmbeddings({ ...serviceContext(input), items: input.body.embeddings }),
});
