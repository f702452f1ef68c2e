import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isObjectType,
  Kind,
} from "graphql";

import { consumeRateLimit } from "../rate-limits";
import { type GraphQLContext } from "./graphql-context";

/** The SDL's own directive: how often each principal may call one expensive field. */
export const RATE_LIMIT_DIRECTIVE = /* GraphQL */ `
  "At most perHour calls of this field per caller (per key for API keys), on top of the endpoint's limit."
  directive @rateLimit(perHour: Int!) on FIELD_DEFINITION
`;

/**
 * Fields marked `@rateLimit(perHour: n)` charge their own bucket (graphql:<Type>.<field>) before
 * they resolve, through the same consumeRateLimit every door uses: a refusal is rate_limited on
 * that field, with its retry time in the details.
 */
export function withFieldRateLimits(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const directive = field.astNode?.directives?.find((d) => d.name.value === "rateLimit");
      const value = directive?.arguments?.find((a) => a.name.value === "perHour")?.value;
      if (value?.kind !== Kind.INT) continue;
      const perHour = Number(value.value);
      const rule = {
        bucket: `graphql:${type.name}.${field.name}`,
        perHour: () => perHour,
        field: true,
      } as const;
      const charged =
        (
          resolve: GraphQLFieldResolver<unknown, GraphQLContext>,
        ): GraphQLFieldResolver<unknown, GraphQLContext> =>
        async (source, args, context, info) => {
          await consumeRateLimit({
            cache: context.services.cache,
            principal: context.services.principal,
            rule,
          });
          return resolve(source, args, context, info);
        };
      if (field.subscribe) field.subscribe = charged(field.subscribe);
      else field.resolve = charged(field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}
