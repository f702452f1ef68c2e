import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { createSchema, createYoga, type YogaServerInstance } from "graphql-yoga";

import { type ServiceContext } from "../../service-context";
import { singleton } from "../../singleton";
import { createLoaders, type GraphQLContext } from "./graphql-context";
import { toGraphQLError, useEnvelopeCodes } from "./graphql-errors";
import { analyticsResolvers } from "./resolvers/analytics-resolvers";
import { dataResolvers } from "./resolvers/data-resolvers";
import { importResolvers } from "./resolvers/import-resolvers";
import { liveResolvers } from "./resolvers/live-resolvers";
import { userResolvers } from "./resolvers/user-resolvers";
import { vectorResolvers } from "./resolvers/vector-resolvers";
import { DateTimeScalar, JSONScalar } from "./scalars";
import { typeDefs } from "./schema-sdl";
import { withSnakeCaseFields } from "./snake-case-fields";

export const GRAPHQL_PATH = "/api/v1/lake/graphql";

/**
 * Guard rails, applied while the operation is validated, before anything runs: nesting, the
 * estimated cost (objects and scalars, weighted by depth), aliases, tokens and directives.
 */
export const GRAPHQL_LIMITS = {
  maxDepth: 10,
  maxCost: 5000,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 50,
} as const;

/** The caller's context, from the door (graphql-route.ts), which authenticated it. */
type ServerContext = { services: ServiceContext };

export const graphqlSchema = () =>
  singleton("graphql:schema", () =>
    withSnakeCaseFields(
      createSchema<GraphQLContext>({
        typeDefs,
        resolvers: [
          { JSON: JSONScalar, DateTime: DateTimeScalar },
          dataResolvers,
          userResolvers,
          importResolvers,
          analyticsResolvers,
          vectorResolvers,
          liveResolvers,
        ],
      }),
    ),
  );

/** The one GraphQL server of the process (graphql-yoga), on the same services as REST. */
export function graphqlServer(): YogaServerInstance<ServerContext, GraphQLContext> {
  return singleton("graphql:server", () =>
    createYoga<ServerContext, GraphQLContext>({
      schema: graphqlSchema(),
      graphqlEndpoint: GRAPHQL_PATH,
      // The console gets its own editor (the Query page); the endpoint serves only GraphQL.
      graphiql: false,
      landingPage: false,
      logging: false,
      // Native Request and Response, so the route wrapper (and Next) see the Response they expect.
      fetchAPI: { Request, Response, Headers, ReadableStream, fetch, URL, URLSearchParams },
      maskedErrors: { maskError: (error) => toGraphQLError(error) },
      context: ({ services }) => ({ services, loaders: createLoaders(services) }),
      plugins: [
        useEnvelopeCodes(),
        EnvelopArmorPlugin({
          maxDepth: { n: GRAPHQL_LIMITS.maxDepth },
          costLimit: { maxCost: GRAPHQL_LIMITS.maxCost },
          maxAliases: { n: GRAPHQL_LIMITS.maxAliases },
          maxTokens: { n: GRAPHQL_LIMITS.maxTokens },
          maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives },
          // Suggesting field names to a caller who mistyped one maps the schema for a prober.
          blockFieldSuggestion: { enabled: true },
        }),
      ],
    }),
  );
}
