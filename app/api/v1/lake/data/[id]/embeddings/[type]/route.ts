import { apiRoute } from "@/server/http/api-route";
import { dataRateLimit } from "@/server/http/data-rate-limit";
import { serviceContext } from "@/server/http/request-services";
import { deleteEmbedding } from "@/server/vectors/embeddings/delete-embedding";
import { getEmbeddings } from "@/server/vectors/embeddings/get-embeddings";
import { putEmbedding } from "@/server/vectors/embeddings/put-embedding";
import { embeddingParamsSchema, putEmbeddingBodySchema } from "@/server/vectors/vectors.schemas";

export const dynamic = "force-dynamic";

const endpoint = "/api/v1/lake/data/[id]/embeddings/[type]";

/** One embedding of a record. */
export const GET = apiRoute({
  endpoint,
  permission: "read",
  rateLimit: dataRateLimit,
  params: embeddingParamsSchema,
  handler: async (input) => {
    const [embedding] = await getEmbeddings({
      ...serviceContext(input),
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
      ...serviceContext(input),
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
      ...serviceContext(input),
      recordId: input.params.id,
      type: input.params.type,
    });
    return new Response(null, { status: 204 });
  },
});
