import { z } from "zod";

import { getEmbeddings } from "../../../vectors/embeddings/get-embeddings";
import { putEmbedding } from "../../../vectors/embeddings/put-embedding";
import { embeddingCounts } from "../../../vectors/indexes/embedding-counts";
import { listIndexStatus, tuneVectorIndex } from "../../../vectors/indexes/index-status";
import { embeddingProvider } from "../../../vectors/providers/configured-provider";
import { HashingEmbedder } from "../../../vectors/providers/hashing-embedder";
import { searchAndProject } from "../../../vectors/search/search-and-project";
import {
  MAX_TEXT_LENGTH,
  searchBodySchema,
  tuneIndexBodySchema,
  vectorTypeSchema,
} from "../../../vectors/vectors.schemas";
import { dataRateLimit } from "../../rate-limits";
import { adminProcedure, dataProcedure, limitedBy, protectedProcedure, router } from "../init";

/** The console's Vectors page: the same services as REST, so the same rules. */
export const vectorsRouter = router({
  /**
   * Search (same body as POST /api/v1/lake/vectors/search) with the results' 2-D projection.
   * A mutation although it reads: its input (a text up to 8 KB, or a 1536-number vector) goes
   * in a POST body, where a query's would make a URL longer than servers accept.
   */
  search: dataProcedure
    .input(searchBodySchema)
    .mutation(({ ctx, input }) => searchAndProject({ ...ctx.services, search: input })),

  /**
   * Which embedder text search uses, so the console can label a lexical one as such. Not limited:
   * it reads configuration, not data.
   */
  provider: protectedProcedure.query(() => {
    const provider = embeddingProvider();
    if (!provider) return null;
    return {
      name: provider.name,
      model: provider.model,
      lexical: provider instanceof HashingEmbedder,
    };
  }),

  indexes: dataProcedure.query(({ ctx }) => listIndexStatus(ctx.services)),

  /** Embeddings per vector type, every type listed (GET /api/v1/lake/vectors/indexes lists indexes). */
  embeddingCounts: dataProcedure.query(({ ctx }) => embeddingCounts(ctx.services)),

  /** A record's embeddings (as GET /api/v1/lake/data/{id}/embeddings), for its dialog. */
  embeddings: dataProcedure
    .input(z.object({ recordId: z.uuid() }))
    .query(({ ctx, input }) => getEmbeddings({ ...ctx.services, recordId: input.recordId })),

  /**
   * Writes a record's embedding of one type from a text the configured provider embeds (as PUT
   * /api/v1/lake/data/{id}/embeddings/{type} with `{text}`); the service checks write access.
   */
  embedText: dataProcedure
    .input(
      z.object({
        recordId: z.uuid(),
        type: vectorTypeSchema,
        text: z.string().trim().min(1).max(MAX_TEXT_LENGTH),
      }),
    )
    .mutation(({ ctx, input }) =>
      putEmbedding({
        ...ctx.services,
        recordId: input.recordId,
        type: input.type,
        body: { text: input.text },
      }),
    ),

  tune: adminProcedure
    .use(limitedBy(dataRateLimit))
    .input(tuneIndexBodySchema)
    .mutation(({ ctx, input }) => tuneVectorIndex({ ...ctx.services, request: input })),
});
