import fc from "fast-check";

import { type Seeds } from "./fuzz-case";

// Plausible values from a JSON Schema (OpenAPI 3.1 components, or a tRPC input converted by zod):
// the base that json-bodies.ts then breaks. Not a validator's generator: close enough that most
// fields pass, with the rows planted before the run wherever a field names one.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
};

/** Resolves local `$ref`s (`#/components/schemas/X`) against the document they came from. */
export function refResolver(document: unknown) {
  return (ref: string): JsonSchema => {
    let node: unknown = document;
    for (const part of ref.replace(/^#\//, "").split("/")) {
      node = (node as Record<string, unknown> | undefined)?.[
        part.replace(/~1/g, "/").replace(/~0/g, "~")
      ];
    }
    return node ?? {};
  };
}

/** Values the Lake knows, for fields whose names say what they refer to. */
function seeded(name: string, seeds: Seeds): fc.Arbitrary<unknown> | undefined {
  if (name === "dataset") return fc.constantFrom(seeds.datasetName, seeds.datasetId);
  if (["id", "record_id", "recordId"].includes(name))
    return fc.constantFrom(seeds.recordId, "00000000-0000-4000-8000-000000000000");
  if (name === "ids") return fc.constant([seeds.recordId]);
  if (name === "upload_id" || name === "uploadId") return fc.constant(seeds.uploadId);
  return undefined;
}

export function schemaValue(
  schema: JsonSchema,
  context: { resolve: (ref: string) => JsonSchema; seeds: Seeds; name?: string; depth?: number },
): fc.Arbitrary<unknown> {
  const depth = context.depth ?? 0;
  const inner = (s: JsonSchema, name?: string) =>
    schemaValue(s, { ...context, name, depth: depth + 1 });
  const bySeed = context.name ? seeded(context.name, context.seeds) : undefined;
  if (bySeed) return bySeed;
  if (depth > 8) return fc.constant(null);
  if (schema.$ref) return inner(context.resolve(schema.$ref), context.name);
  if ("const" in schema) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches?.length) return fc.oneof(...branches.map((b) => inner(b, context.name)));
  if (schema.allOf?.length)
    return inner(Object.assign({}, ...schema.allOf) as JsonSchema, context.name);

  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type ?? (schema.properties ? "object" : undefined)) {
    case "object": {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      if (properties.length === 0) {
        // Free-form (a record's payload): never empty, so there are members to break.
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 8 }),
          fc.jsonValue({ maxDepth: 2 }),
          {
            minKeys: 1,
            maxKeys: 4,
          },
        );
      }
      return fc.record(Object.fromEntries(properties.map(([key, s]) => [key, inner(s, key)])), {
        requiredKeys: properties.map(([key]) => key).filter((key) => required.has(key)),
      });
    }
    case "array":
      return fc.array(inner(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 3)),
      });
    case "string":
      if (schema.format === "uuid") return fc.uuid();
      if (schema.format === "date-time")
        return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.format === "email") return fc.emailAddress();
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 20, Math.max(schema.minLength ?? 0, 20)),
      });
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
