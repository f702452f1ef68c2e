import { z } from "zod";

import { listIndexStatus, tuneVectorIndex } from "../../vectors/indexes/index-status";
import { MAX_PROJECTED, projectResults } from "../../vectors/project-results";
import { embeddingProvider } from "../../vectors/providers/embedding-provider";
import { searchVectors } from "../../vectors/search/search-vectors";
import {
  searchBodySchema,
  tuneIndexBodySchema,
  vectorTypeSchema,
} from "../../vectors/vectors.schemas";
import { servicesFor } from "../../services";
import { adminProcedure, protectedProcedure, router } from "../init";

/** The console's Vectors page: the same services as REST, so the same rules. */
export const vectorsRouter = router({
  /** Search by text or record (or vector); same body as POST /api/v1/lake/vectors/search. */
  search: protectedProcedure
    .input(searchBodySchema)
    .query(({ ctx, input }) => searchVectors({ ...servicesFor(ctx), search: input })),

  /** Which embedder text search uses, so the console can label a lexical one as such. */
  provider: protectedProcedure.query(() => {
    const provider = embeddingProvider();
    return provider ? { name: provider.name, model: provider.model } : null;
  }),

  indexes: protectedProcedure.query(({ ctx }) => listIndexStatus(servicesFor(ctx))),

  tune: adminProcedure
    .input(tuneIndexBodySchema)
    .mutation(({ ctx, input }) => tuneVectorIndex({ ...servicesFor(ctx), request: input })),

  /** 2-D PCA of the results' embeddings, for the scatter plot. */
  project: protectedProcedure
    .input(z.object({ type: vectorTypeSchema, recordIds: z.array(z.uuid()).max(MAX_PROJECTED) }))
    .query(({ ctx, input }) => projectResults({ ...servicesFor(ctx), ...input })),
});
