import type { ComponentsObject, JsonSchema } from "@/server/openapi/openapi-types";

// Reads the JSON Schemas that zod generates into the OpenAPI document, for people: a type label,
// the constraints worth stating, and the shape to list as fields.

const SAFE_INTEGER = 9007199254740991;
const REF_PREFIX = "#/components/schemas/";

export type ResolvedSchema = { schema: JsonSchema; name?: string };

/** Follows `#/components/schemas/…` references; `name` is the component's, if any. */
export function resolveSchema(schema: JsonSchema, components: ComponentsObject): ResolvedSchema {
  let current = schema;
  let name: string | undefined;
  for (let hops = 0; typeof current.$ref === "string" && hops < 10; hops += 1) {
    const ref: string = current.$ref;
    if (!ref.startsWith(REF_PREFIX)) break;
    name = ref.slice(REF_PREFIX.length);
    // Keywords beside the $ref (a description) apply too.
    const { $ref: _ref, ...siblings } = current;
    current = { ...(components.schemas[name] ?? {}), ...siblings };
  }
  return { schema: current, name };
}

const isObject = (value: unknown): value is JsonSchema =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const asSchema = (value: unknown): JsonSchema | undefined =>
  isObject(value) ? value : undefined;

/** The variants of anyOf/oneOf, with a lone `null` variant taken out as `nullable`. */
export function variantsOf(schema: JsonSchema): { variants: JsonSchema[]; nullable: boolean } {
  const list = schema.oneOf ?? schema.anyOf;
  if (!Array.isArray(list)) return { variants: [], nullable: false };
  const variants = list.filter(isObject);
  const nonNull = variants.filter((v) => v.type !== "null");
  return { variants: nonNull, nullable: nonNull.length < variants.length };
}

function literal(value: unknown): string {
  return JSON.stringify(value);
}

/** A short type, e.g. `string (uuid)`, `integer`, `"a" | "b"`, `array of RecordView`. */
export function typeLabel(input: JsonSchema, components: ComponentsObject): string {
  const { schema, name } = resolveSchema(input, components);
  if (name) return name;
  if ("const" in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(" | ");
  const { variants, nullable } = variantsOf(schema);
  if (variants.length > 0) {
    const labels = variants.map((v) => typeLabel(v, components));
    return [...new Set(labels)].concat(nullable ? ["null"] : []).join(" | ");
  }
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
    (t): t is string => typeof t === "string",
  );
  if (types.length === 0) return "any";
  return types
    .map((type) => {
      if (type === "array") {
        const items = asSchema(schema.items);
        return items ? `array of ${typeLabel(items, components)}` : "array";
      }
      if (type === "object" && !schema.properties) {
        const values = asSchema(schema.additionalProperties);
        if (values && Object.keys(values).length > 0) {
          return `object of ${typeLabel(values, components)}`;
        }
        return "JSON object";
      }
      if (type === "string" && typeof schema.format === "string")
        return `string (${schema.format})`;
      return type;
    })
    .join(" | ");
}

/** Limits and defaults worth stating: `1–200 characters`, `default: 50`, `pattern: …`. */
export function constraintsOf(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const range = (min: unknown, max: unknown, unit: string) => {
    const lo = typeof min === "number" && Math.abs(min) !== SAFE_INTEGER ? min : undefined;
    const hi = typeof max === "number" && Math.abs(max) !== SAFE_INTEGER ? max : undefined;
    const units = (n: number) => (unit && n !== 1 ? `${unit}s` : unit);
    if (lo !== undefined && hi !== undefined) notes.push(`${lo}–${hi}${units(hi)}`);
    else if (lo !== undefined) notes.push(`at least ${lo}${units(lo)}`);
    else if (hi !== undefined) notes.push(`at most ${hi}${units(hi)}`);
  };
  range(schema.minLength, schema.maxLength, " character");
  range(schema.minimum, schema.maximum, "");
  range(schema.minItems, schema.maxItems, " item");
  range(schema.minProperties, schema.maxProperties, " key");
  if (typeof schema.pattern === "string" && typeof schema.format !== "string") {
    notes.push(`pattern ${schema.pattern}`);
  }
  const keys = asSchema(schema.propertyNames);
  if (typeof keys?.pattern === "string") notes.push(`keys match ${keys.pattern}`);
  if ("default" in schema) notes.push(`default ${literal(schema.default)}`);
  return notes;
}

export type Field = { name: string; schema: JsonSchema; required: boolean };

/** The named fields of an object schema, required ones first. */
export function fieldsOf(schema: JsonSchema): Field[] {
  const properties = asSchema(schema.properties);
  if (!properties) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(properties)
    .filter((entry): entry is [string, JsonSchema] => isObject(entry[1]))
    .map(([name, field]) => ({ name, schema: field, required: required.has(name) }))
    .sort((a, b) => Number(b.required) - Number(a.required));
}

/** What to list under a field: its fields, its items' fields, or its variants (one of). */
export function childrenOf(
  input: JsonSchema,
  components: ComponentsObject,
): { kind: "fields"; fields: Field[] } | { kind: "variants"; variants: JsonSchema[] } | undefined {
  let { schema } = resolveSchema(input, components);
  // Look through a nullable wrapper and array items, a few levels at most.
  for (let level = 0; level < 4; level += 1) {
    const { variants } = variantsOf(schema);
    const items = schema.type === "array" ? asSchema(schema.items) : undefined;
    if (variants.length > 1) return { kind: "variants", variants };
    if (variants.length === 1) schema = resolveSchema(variants[0]!, components).schema;
    else if (items) schema = resolveSchema(items, components).schema;
    else break;
  }
  const fields = fieldsOf(schema);
  return fields.length > 0 ? { kind: "fields", fields } : undefined;
}

/** A name for a variant: its discriminating constant (`op: "create"`) or its required fields. */
export function variantLabel(variant: JsonSchema, components: ComponentsObject, index: number) {
  const { schema, name } = resolveSchema(variant, components);
  if (name) return name;
  const fields = fieldsOf(schema);
  const discriminator = fields.find((f) => "const" in f.schema);
  if (discriminator) return `${discriminator.name}: ${literal(discriminator.schema.const)}`;
  const required = fields.filter((f) => f.required).map((f) => f.name);
  return required.length > 0 ? `with ${required.join(", ")}` : `option ${index + 1}`;
}

/** True when the schema (every variant of it, for a union) refuses fields it does not list. */
export function isClosed(input: JsonSchema, components: ComponentsObject): boolean {
  const { schema } = resolveSchema(input, components);
  const { variants } = variantsOf(schema);
  if (variants.length > 0) return variants.every((variant) => isClosed(variant, components));
  return schema.additionalProperties === false;
}
