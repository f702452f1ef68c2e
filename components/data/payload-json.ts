import { errorCode, type AppErrorLike } from "@/components/ui/app-error";

export type JsonObjectResult =
  { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** Parses an editor's text as a JSON object (what payloads and dataset schemas must be). */
export function parseJsonObject(text: string): JsonObjectResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      ok: false,
      message: `Must be a JSON object ({ … }), not ${value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`}.`,
    };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

const EMPTY_BY_TYPE: Record<string, unknown> = {
  string: "",
  number: 0,
  integer: 0,
  boolean: false,
  array: [],
  object: {},
  null: null,
};

/**
 * A starting payload for a dataset: its schema's required properties, each with an empty value
 * of its type (or its first enum / const value), so the user fills in rather than recalls them.
 */
export function payloadTemplate(schema: Record<string, unknown> | null): Record<string, unknown> {
  if (!schema || !Array.isArray(schema.required)) return {};
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const template: Record<string, unknown> = {};
  for (const key of schema.required as unknown[]) {
    if (typeof key !== "string") continue;
    const property = properties[key] ?? {};
    const type: unknown = Array.isArray(property.type)
      ? (property.type as unknown[])[0]
      : property.type;
    template[key] =
      "const" in property
        ? property.const
        : Array.isArray(property.enum)
          ? (property.enum as unknown[])[0]
          : typeof type === "string" && type in EMPTY_BY_TYPE
            ? EMPTY_BY_TYPE[type]
            : null;
  }
  return template;
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** One-line JSON for table cells; long values are cut by CSS, not here. */
export function compactJson(value: unknown): string {
  return JSON.stringify(value) ?? "";
}

type Problem = { path: string; message: string };

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Problem).message === "string" &&
    typeof (value as Problem).path === "string"
  );
}

/** A JSON pointer as people read it: `/address/city` stays, the root says so. */
function where(path: string): string {
  return path === "" ? "(whole payload)" : path;
}

/**
 * The schema failures of a payload write, one line each ("/amount: must be number"). Replace
 * lists them as details; create wraps them per payload ({ index, errors }); a rejected input
 * (zod) lists its issues the same way.
 */
export function payloadProblems(error: AppErrorLike | null | undefined): string[] {
  if (errorCode(error) !== "validation_failed") return [];
  const details = error?.data?.details;
  if (!Array.isArray(details)) return [];
  return details.flatMap((item: unknown): string[] => {
    if (isProblem(item)) return [`${where(item.path)}: ${item.message}`];
    const nested = (item as { errors?: unknown } | null)?.errors;
    return Array.isArray(nested)
      ? nested.filter(isProblem).map((problem) => `${where(problem.path)}: ${problem.message}`)
      : [];
  });
}

/** A dataset schema the server refused: bad_request with details.errors. */
export function schemaProblems(error: AppErrorLike | null | undefined): string[] {
  if (errorCode(error) !== "bad_request") return [];
  const details = error?.data?.details;
  const errors = (details as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors
    .filter(isProblem)
    .map((problem) => `${problem.path === "" ? "(schema)" : problem.path}: ${problem.message}`);
}
