import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from "graphql";
import { z } from "zod";

const isoInstant = z.iso.datetime({ offset: true });

/** Any JSON value, in and out, unchanged. */
export const JSONScalar = new GraphQLScalarType({
  name: "JSON",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

function parseInstant(value: unknown): string {
  if (typeof value !== "string" || !isoInstant.safeParse(value).success) {
    throw new GraphQLError(
      "A DateTime is an ISO 8601 instant with an offset, e.g. 2026-12-05T10:00:00Z.",
    );
  }
  return value;
}

/** An ISO 8601 instant; the services' views already hold them as strings (or Dates). */
export const DateTimeScalar = new GraphQLScalarType({
  name: "DateTime",
  serialize: (value) => (value instanceof Date ? value.toISOString() : value),
  parseValue: parseInstant,
  parseLiteral: (ast) => parseInstant(ast.kind === Kind.STRING ? ast.value : undefined),
});
