import {
  deleteSavedQuery,
  listSavedQueries,
  saveQuery,
} from "../../../saved-queries/saved-queries";
import {
  savedQueryInputSchema,
  savedQueryParams,
} from "../../../saved-queries/saved-query.schemas";
import { protectedProcedure, router } from "../init";

/**
 * The Query page's saved queries: the signed-in user's own, nobody else's. Not charged to the
 * data rate limit — they are the page's workspace, not the data API; the queries themselves are
 * charged when they run against /api/v1/lake/graphql.
 */
export const savedQueriesRouter = router({
  list: protectedProcedure.query(({ ctx }) => listSavedQueries(ctx.services)),
  save: protectedProcedure
    .input(savedQueryInputSchema)
    .mutation(({ ctx, input }) => saveQuery({ ...ctx.services, input })),
  delete: protectedProcedure
    .input(savedQueryParams)
    .mutation(({ ctx, input }) => deleteSavedQuery({ ...ctx.services, id: input.id })),
});
