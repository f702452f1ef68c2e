import { apiRoute } from "../api-route";
import { dataRateLimit } from "../../rate-limits";
import { deleteEmbedding } from "../../../vectors/embeddings/delete-embedding";
import { getEmbeddings } from "../../../vectors/embeddings/get-embeddings";
import { putEmbedding } from "../../../vectors/embeddings/put-embedding";
import { embeddingParamsSchema, putEmbeddingBodySchema } from "../../../vectors/vectors.schemas";

const endpoint = "/api/v1/lake/data/[id]/embeddings/[type]";

/** One embedding of a record. */
export const GET = apiRoute({
  endpoint,
  permission: "read",
  rateLimit: dataRateLimit,
  params: embeddingParamsSchema,
  handler: async (input) => {
    const [embedding] = await getEmbeddings({
      ...input.services,
      recordId: input.params.id,
      type: input.params.type,
    });
    return embedding!;
  },
});

/** Write or replace the record's embedding of this type: `{model, vector}` or `{text}`. */
export const PUT = apiRoute({
  endpoint,
  permission: "write",
  rateLimit: dataRateLimit,
  params: embeddingParamsSchema,
  body: putEmbeddingBodySchema,
  handler: (input) =>
    putEmbedding({
      ...input.services,
      recordId: input.params.id,
      type: input.params.type,
      body: input.body,
    }),
});

export const DELETE = apiRoute({
  endpoint,
  permission: "write",
  rateLimit: dataRateLimit,
  params: embeddingParamsSchema,
  handler: async (input) => {
    await deleteEmbedding({
      ...input.services,
      recordId: input.params.id,
      type: input.params.type,
    });
    return new Response(null, { status: 204 });
  },
});
