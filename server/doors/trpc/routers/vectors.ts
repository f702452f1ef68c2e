import { listIndexStatus, tuneVectorIndex } from "../../../vectors/indexes/index-status";
import { embeddingProvider } from "../../../vectors/providers/configured-provider";
import { HashingEmbedder } from "../../../vectors/providers/hashing-embedder";
import { searchAndProject } from "../../../vectors/search/search-and-project";
import { searchBodySchema, tuneIndexBodySchema } from "../../../vectors/vectors.schemas";
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

  tune: adminProcedure
    .use(limitedBy(dataRateLimit))
    .input(tuneIndexBodySchema)
    .mutation(({ ctx, input }) => tuneVectorIndex({ ...ctx.services, request: input })),
});
