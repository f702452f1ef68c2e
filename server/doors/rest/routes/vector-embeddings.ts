import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { upsertEmbeddings } from "../../../vectors/embeddings/upsert-embeddings";
import { bulkEmbeddingsBodySchema } from "../../../vectors/vectors.schemas";

/** Many embeddings on many records, all or nothing. */
export const POST = apiRoute({
  endpoint: "/api/v1/lake/vectors/embeddings",
  permission: "write",
  rateLimit: dataRateLimit,
  body: bulkEmbeddingsBodySchema,
  handler: (input) => upsertEmbeddings({ ...input.services, items: input.body.embeddings }),
});
