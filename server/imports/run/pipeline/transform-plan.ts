import type { Dataset } from "../../../db/generated/client";
import { type ConcreteFormat, type ImportOptions } from "../../imports.schemas";
import { type ColumnStats, type FieldType, type TransformPlan } from "./row-transform";

type SchemaProperty = { type?: unknown; format?: unknown };

function propertiesOf(schema: unknown): Record<string, SchemaProperty> {
  const properties = (schema as { properties?: unknown } | null)?.properties;
  return typeof properties === "object" && properties !== null
    ? (properties as Record<string, SchemaProperty>)
    : {};
}

function typesOf(property: SchemaProperty): FieldType[] {
  const types = Array.isArray(property.type) ? property.type : [property.type];
  return types.filter((t): t is FieldType =>
    ["number", "integer", "boolean", "null", "string"].includes(String(t)),
  );
}

/**
 * How rows become payloads for one import: the dataset's schema decides which CSV texts become
 * numbers, booleans or null, and which fields are timestamps (`format: date-time`), besides the
 * ones the upload named. Without a schema, the validation pass's column statistics decide.
 */
export function buildTransformPlan(options: {
  dataset: Pick<Dataset, "id" | "updatedAt" | "jsonSchema">;
  format: ConcreteFormat;
  importOptions: ImportOptions;
  inferred?: ColumnStats;
}): TransformPlan {
  const { dataset, importOptions } = options;
  const properties = propertiesOf(dataset.jsonSchema);
  const coerce: Record<string, FieldType[]> = {};
  for (const [name, property] of Object.entries(properties)) coerce[name] = typesOf(property);
  if (dataset.jsonSchema === null && options.inferred) {
    const mapping = importOptions.mapping ?? {};
    for (const [column, stats] of Object.entries(options.inferred)) {
      const field = mapping[column] ?? column;
      coerce[field] = stats.numeric
        ? ["number", "null"]
        : stats.boolean
          ? ["boolean", "null"]
          : ["string", "null"];
    }
  }
  const dateTimes = Object.entries(properties)
    .filter(([, property]) => property.format === "date-time")
    .map(([name]) => name);
  return {
    coerceText: options.format === "csv",
    schema: dataset.jsonSchema,
    schemaKey: `${dataset.id}:${dataset.updatedAt.getTime()}`,
    mapping: importOptions.mapping ?? {},
    timestamps: [...new Set([...(importOptions.timestamps ?? []), ...dateTimes])],
    trim: importOptions.trim,
    coerce,
    embedding: importOptions.embedding?.column,
  };
}

/** Merges one batch's column statistics into the running ones (a column is numeric only if all are). */
export function mergeColumnStats(into: ColumnStats, from: ColumnStats): void {
  for (const [column, stats] of Object.entries(from)) {
    const current = (into[column] ??= { numeric: true, boolean: true });
    current.numeric &&= stats.numeric;
    current.boolean &&= stats.boolean;
  }
}
