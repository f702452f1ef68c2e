import { type GraphQLResolveInfo } from "graphql";

import { listEmbeddings } from "../../../vectors/embeddings/list-embeddings";
import { searchVectors } from "../../../vectors/search/search-vectors";
import { searchBodySchema, VECTOR_DIMENSIONS } from "../../../vectors/vectors.schemas";
import { type GraphQLContext } from "../graphql-context";
import { selectsField } from "../record-arguments";

type VectorsArguments = {
  type: string;
  first?: number | null;
  after?: string | null;
  similarTo?: Record<string, unknown> | null;
};

/** The seed's vectors(type): a page of embeddings, or a similarity search. */
export const vectorResolvers = {
  Query: {
    vectors: async (
      _: unknown,
      args: VectorsArguments,
      { services }: GraphQLContext,
      info: GraphQLResolveInfo,
    ) => {
      if (args.similarTo) {
        const { filter, ...similarTo } = args.similarTo;
        const search = searchBodySchema.parse({
          ...Object.fromEntries(Object.entries(similarTo).filter(([, v]) => v !== null)),
          ...(filter ? { filter } : {}),
          type: args.type,
        });
        const { results } = await searchVectors({ ...services, search });
        return results.map((result) => ({
          record_id: result.record.id,
          record: result.record,
          type: args.type,
          model: null,
          dimensions: VECTOR_DIMENSIONS,
          vector: null,
          score: result.score,
          distance: result.distance,
          updated_at: null,
        }));
      }
      const page = await listEmbeddings({
        ...services,
        query: {
          type: args.type,
          limit: args.first ?? undefined,
          after: args.after,
          withVectors: selectsField(info, "vector"),
        },
      });
      return page.items;
    },
  },
};
