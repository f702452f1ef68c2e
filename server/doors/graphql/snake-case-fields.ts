import { type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from "graphql";

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * Fields without a resolver of their own read their value from the service's view: the same name,
 * or its snake_case form (`createdAt` ← `created_at`). The services speak REST's snake_case; the
 * schema speaks GraphQL's camelCase; this is the one translation between them.
 */
export function withSnakeCaseFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.resolve) continue;
      const key = snakeCase(field.name);
      const resolve: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source) =>
        source[field.name] !== undefined ? source[field.name] : source[key];
      field.resolve = resolve;
    }
  }
  return schema;
}
