import { errorCode, type AppErrorLike } from "@/components/ui/app-error";

// A record form generated from a dataset's JSON Schema: one field per top-level property, typed
// by the schema. What a form cannot edit well (nested objects, arrays, unions) falls back to a
// JSON field of its own; keys the schema does not name are kept as they are. The server's
// validator (Ajv on the full schema) stays the judge: this only catches what a form can see.

type JsonObject = Record<string, unknown>;

export type FormFieldKind = "string" | "number" | "integer" | "boolean" | "enum" | "json";

export type FormField = {
  key: string;
  kind: FormFieldKind;
  required: boolean;
  /** The schema's title, else the key. */
  label: string;
  description?: string;
  /** For `enum`: the allowed values (strings, numbers, booleans or null). */
  options?: unknown[];
  /** `null` allowed besides the main type (`type: ["number", "null"]`). */
  nullable: boolean;
};

/** A field's text as typed (checkboxes: a boolean). */
export type FormValues = Record<string, string | boolean>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The form's fields for a schema; empty when the schema names no properties. */
export function formFields(schema: JsonObject | null): FormField[] {
  if (!schema || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([key, property]): FormField => {
    const spec = isObject(property) ? property : {};
    const types = Array.isArray(spec.type)
      ? spec.type.filter((t): t is string => typeof t === "string")
      : typeof spec.type === "string"
        ? [spec.type]
        : [];
    const nullable = types.includes("null");
    const main = types.filter((t) => t !== "null");
    const field = {
      key,
      required: required.has(key),
      label: typeof spec.title === "string" ? spec.title : key,
      ...(typeof spec.description === "string" ? { description: spec.description } : {}),
      nullable,
    };
    if (Array.isArray(spec.enum)) return { ...field, kind: "enum", options: spec.enum };
    if (main.length === 1 && ["string", "number", "integer", "boolean"].includes(main[0]!)) {
      return { ...field, kind: main[0] as FormFieldKind };
    }
    return { ...field, kind: "json" };
  });
}

/** The form's values for a payload (a new record starts from an empty one). */
export function formValues(fields: readonly FormField[], payload: JsonObject): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = payload[field.key];
    if (field.kind === "boolean") values[field.key] = value === true;
    else if (value === undefined || (value === null && field.kind !== "json"))
      values[field.key] = "";
    else if (field.kind === "enum") values[field.key] = JSON.stringify(value);
    else if (field.kind === "json") values[field.key] = JSON.stringify(value, null, 2);
    else values[field.key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return values;
}

/**
 * The payload the form describes, on top of `base` (which keeps keys the schema does not name),
 * and what is wrong, by field: a required field left empty, a number that is not one, JSON that
 * does not parse. An empty optional field is left out of the payload.
 */
export function formPayload(
  fields: readonly FormField[],
  values: FormValues,
  base: JsonObject = {},
): { payload: JsonObject; errors: Record<string, string> } {
  const payload: JsonObject = { ...base };
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.key];
    delete payload[field.key];
    if (field.kind === "boolean") {
      payload[field.key] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "") {
      if (field.required) errors[field.key] = "Required.";
      continue;
    }
    switch (field.kind) {
      case "string":
        payload[field.key] = text;
        break;
      case "number":
      case "integer": {
        const number = Number(text.trim());
        if (!Number.isFinite(number)) errors[field.key] = "Must be a number, like 12 or 3.5.";
        else if (field.kind === "integer" && !Number.isInteger(number)) {
          errors[field.key] = "Must be a whole number.";
        } else payload[field.key] = number;
        break;
      }
      case "enum":
      case "json":
        try {
          payload[field.key] = JSON.parse(text) as unknown;
        } catch {
          errors[field.key] =
            field.kind === "enum" ? "Choose one of the values." : "Not valid JSON.";
        }
        break;
    }
  }
  return { payload, errors };
}

/**
 * The server's schema failures placed at the form's fields: a failure at `/total` (or inside it)
 * goes to `total`; one at the root (a required property missing) to the property it names, when
 * the message names one; the rest are returned as `other`.
 */
export function serverFieldErrors(
  error: AppErrorLike | null | undefined,
  fields: readonly FormField[],
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  if (errorCode(error) !== "validation_failed") return { byField, other };
  const details = error?.data?.details;
  const problems = (Array.isArray(details) ? details : []).flatMap((item: unknown) => {
    const nested = isObject(item) && Array.isArray(item.errors) ? item.errors : [item];
    return nested.filter(
      (p): p is { path: string; message: string } =>
        isObject(p) && typeof p.path === "string" && typeof p.message === "string",
    );
  });
  const keys = new Set(fields.map((field) => field.key));
  for (const problem of problems) {
    const top = decodeURIComponent(problem.path.split("/")[1] ?? "")
      .replace(/~1/g, "/")
      .replace(/~0/g, "~");
    const named = /'([^']+)'|"([^"]+)"/.exec(problem.message);
    const key = top !== "" ? top : (named?.[1] ?? named?.[2] ?? "");
    if (keys.has(key) && !byField[key]) byField[key] = problem.message;
    else other.push(`${problem.path || "(whole payload)"}: ${problem.message}`);
  }
  return { byField, other };
}
