import { z } from "zod";

import { type JsonSchema } from "./openapi-types";

/** JSON Schema 2020-12 is OpenAPI 3.1's own dialect, so zod's output goes in unchanged. */
export const JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";

/** Where a named schema lives in the document. */
export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

// `$schema` is set once for the document (jsonSchemaDialect); a `$id` holding a fragment is not
// allowed in 2020-12, and the component's name already identifies it.
function withoutDialect({ $schema: _schema, $id: _id, ...schema }: JsonSchema): JsonSchema {
  return schema;
}

/**
 * The JSON Schema of a zod schema, as zod generates it. Request bodies use `input` (defaults make
 * fields optional), responses `output`. The tests compare the document with this same call on the
 * schemas the routes validate with, so the two cannot drift.
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, { target: "draft-2020-12", io }));
}

/**
 * Named output schemas that refer to each other by `$ref` (a BatchResponse's records are
 * RecordViews) instead of repeating one another inline.
 */
export function namedOutputSchemas(
  schemas: Record<string, { schema: z.ZodType; description: string }>,
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string; description: string }>();
  for (const [id, { schema, description }] of Object.entries(schemas)) {
    registry.add(schema, { id, description });
  }
  const generated = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io: "output",
    uri: (id) => schemaRef(id).$ref,
  }).schemas as Record<string, JsonSchema>;
  return Object.fromEntries(
    Object.entries(generated).map(([name, schema]) => [name, withoutDialect(schema)]),
  );
}
