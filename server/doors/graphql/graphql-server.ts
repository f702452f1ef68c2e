import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import { buildSubgraphSchema, type GraphQLResolverMap } from "@apollo/subgraph";
import { mergeResolvers } from "@graphql-tools/merge";
import { parse } from "graphql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";

import { cacheServices } from "../../cache/client";
import { TextBodyResponse } from "../rest/json-response";
import { env } from "../../env";
import { type ServiceContext } from "../../service-context";
import { singleton } from "../../singleton";
import { newCacheScope, withCacheDependencies } from "./cache-dependencies";
import { createLoaders, type GraphQLContext } from "./graphql-context";
import { toGraphQLError, useEnvelopeCodes } from "./graphql-errors";
import { withFieldRateLimits } from "./field-rate-limits";
import { useOperationCost } from "./operation-cost";
import { loadTrustedDocuments, usePersistedOperations } from "./persisted-operations";
import { useRequestBody } from "./request-body";
import { useGraphQLResponseCache } from "./response-cache";
import { analyticsResolvers } from "./resolvers/analytics-resolvers";
import { dataResolvers } from "./resolvers/data-resolvers";
import { entityResolvers } from "./resolvers/entity-resolvers";
import { importResolvers } from "./resolvers/import-resolvers";
import { liveResolvers } from "./resolvers/live-resolvers";
import { userResolvers } from "./resolvers/user-resolvers";
import { vectorResolvers } from "./resolvers/vector-resolvers";
import { DateTimeScalar, JSONScalar } from "./scalars";
import { typeDefs } from "./schema-sdl";
import { withSnakeCaseFields } from "./snake-case-fields";

export const GRAPHQL_PATH = "/api/v1/lake/graphql";

/**
 * Guard rails, applied before anything runs: nesting, aliases, tokens and directives while the
 * operation is validated; its cost (operation-cost.ts, LAKE_GRAPHQL_MAX_COST) with its variables.
 */
export const GRAPHQL_LIMITS = {
  /** Operations in one batched request (a JSON array of them). */
  maxBatch: 10,
  maxDepth: 10,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 50,
} as const;

/** The caller's context, from the door (graphql-route.ts), which authenticated it. */
type ServerContext = { services: ServiceContext };

/** The schema: the SDL and its resolvers, built as a federation subgraph (`_service`, `_entities`). */
export const graphqlSchema = () =>
  singleton("graphql:schema", () =>
    withCacheDependencies(
      withFieldRateLimits(
        withSnakeCaseFields(
          buildSubgraphSchema([
            {
              typeDefs: parse(typeDefs),
              resolvers: mergeResolvers([
                { JSON: JSONScalar, DateTime: DateTimeScalar },
                dataResolvers,
                userResolvers,
                importResolvers,
                analyticsResolvers,
                vectorResolvers,
                liveResolvers,
                entityResolvers,
              ]) as GraphQLResolverMap<GraphQLContext>,
            },
          ]),
        ),
      ),
    ),
  );

/**
 * Who may introspect the schema. LAKE_GRAPHQL_INTROSPECTION decides when it is set. Unset, everyone
 * may outside production; in production only the console's own session may — the Query page's
 * schema docs and completion — so the endpoint does not map the schema for API clients.
 */
export function introspectionAllowed(
  setting: boolean | undefined,
  nodeEnv: string,
): "everyone" | "console" | "nobody" {
  if (setting !== undefined) return setting ? "everyone" : "nobody";
  return nodeEnv === "production" ? "console" : "everyone";
}

function introspectionPlugins(allowed: ReturnType<typeof introspectionAllowed>) {
  if (allowed === "everyone") return [];
  if (allowed === "nobody") return [useDisableIntrospection()];
  return [
    useDisableIntrospection({
      isDisabled: (_request, context) =>
        (context as Partial<ServerContext>).services?.principal.via !== "session",
    }),
  ];
}

/** The one GraphQL server of the process (graphql-yoga), on the same services as REST. */
export function graphqlServer(): YogaServerInstance<ServerContext, GraphQLContext> {
  const config = env();
  const introspection = introspectionAllowed(config.LAKE_GRAPHQL_INTROSPECTION, config.NODE_ENV);
  return singleton("graphql:server", () =>
    createYoga<ServerContext, GraphQLContext>({
      schema: graphqlSchema(),
      graphqlEndpoint: GRAPHQL_PATH,
      // The console gets its own editor (the Query page); the endpoint serves only GraphQL.
      graphiql: false,
      landingPage: false,
      logging: false,
      // Native Request and Response, so the route wrapper (and Next) see the Response they expect;
      // a Response that keeps its text, so the custom server writes it without streaming it back.
      fetchAPI: {
        Request,
        Response: TextBodyResponse,
        Headers,
        ReadableStream,
        fetch,
        URL,
        URLSearchParams,
      },
      // No CORS, as on every other door: yoga's default answered any Origin with
      // Access-Control-Allow-Origin set to it and Allow-Credentials, so a page on a sibling
      // subdomain (same site, so the SameSite=Lax session cookie goes along) could read a
      // signed-in user's answers to a GET it sent. Preflights are Next's, which grants none.
      cors: false,
      maskedErrors: { maskError: (error) => toGraphQLError(error) },
      batching: { limit: GRAPHQL_LIMITS.maxBatch },
      // useRequestBody reads and limits bodies, by the data API's rule.
      maxRequestBodySize: false,
      context: ({ services }) => ({
        services,
        loaders: createLoaders(services),
        responseCache: newCacheScope(),
      }),
      plugins: [
        useRequestBody(config.LAKE_MAX_BODY_BYTES),
        useEnvelopeCodes(),
        usePersistedOperations({
          cache: () => cacheServices().cache,
          trusted: config.LAKE_GRAPHQL_TRUSTED_DOCUMENTS
            ? loadTrustedDocuments(config.LAKE_GRAPHQL_TRUSTED_DOCUMENTS)
            : undefined,
        }),
        useOperationCost(config.LAKE_GRAPHQL_MAX_COST),
        ...introspectionPlugins(introspection),
        EnvelopArmorPlugin({
          maxDepth: { n: GRAPHQL_LIMITS.maxDepth },
          // The cost is operation-cost.ts's: it knows list sizes, Armor's estimate does not.
          costLimit: { enabled: false },
          maxAliases: { n: GRAPHQL_LIMITS.maxAliases },
          maxTokens: { n: GRAPHQL_LIMITS.maxTokens },
          maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives },
          // Suggesting field names to a caller who mistyped one maps the schema for a prober.
          blockFieldSuggestion: { enabled: true },
        }),
        // Last: a hit is served only to an operation every guard above has let through.
        ...useGraphQLResponseCache(config.LAKE_GRAPHQL_CACHE_TTL),
      ],
    }),
  );
}
