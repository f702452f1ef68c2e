import Ajv2020, { type ErrorObject, type Options, type ValidateFunction } from "ajv/dist/2020.js";
import type { RegExpEngine } from "ajv/dist/types";
import addFormats from "ajv-formats";
import { LRUCache } from "lru-cache";
import { RE2JS } from "re2js";

import type { Dataset } from "../../db/generated/client";
import { AppError } from "../../errors/app-error";

/** One problem, located by a JSON pointer into the schema (compile) or the payload (validate). */
export type SchemaProblem = { path: string; message: string; keyword?: string };

/** One way a payload fails its dataset's schema; `path` is a JSON pointer, e.g. "/amount". */
export type PayloadError = { path: string; message: string; keyword: string };

const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/**
 * JSON Schema `pattern`s run on RE2 (linear time) instead of JavaScript's backtracking engine: a
 * dataset owner's `(a+)+$` must not stall every write to the dataset (ReDoS). Patterns RE2 does
 * not support (lookaround, backreferences) are refused when the schema is compiled.
 */
const re2: RegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern);
    return { test: (input: string) => compiled.test(input) };
  },
  { code: "re2js" },
);

const OPTIONS: Options = {
  code: { regExp: re2 },
  // Report every failing field at once, so a client fixes a payload in one round trip.
  allErrors: true,
  // strictSchema stays on: an unknown keyword ("requried") or format ("emial") would otherwise be
  // ignored and the dataset silently accept what its owner meant to reject. The type and tuple
  // checks only log, and nothing in the server writes to the console.
  strictTypes: false,
  strictTuples: false,
  logger: false,
};

function newAjv(options: Options): Ajv2020 {
  const ajv = new Ajv2020({ ...OPTIONS, ...options });
  addFormats(ajv);
  return ajv;
}

// Checking a schema against the 2020-12 meta-schema needs the meta-schema compiled, which is most
// of the cost of a fresh instance (~8 ms against ~0.4 ms); this one is shared and never holds a
// dataset's schema.
const metaSchemaChecker = newAjv({});

// Ajv compiles and checks schemas recursively: a deeply nested one overflows the stack (~500
// levels of `properties`) and takes ever longer before that. 100 levels of JSON is 50 levels of
// `properties`, far beyond any real record schema.
const MAX_SCHEMA_DEPTH = 100;

/** Whether JSON nests deeper than `max` objects and arrays; iterative, so it cannot overflow. */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

function invalidSchema(errors: SchemaProblem[]): AppError {
  return new AppError("bad_request", "The dataset schema is not a valid JSON Schema.", { errors });
}

/**
 * Checks a dataset's JSON Schema (2020-12, with formats) and compiles it into a validator; throws
 * AppError("bad_request") with the problems when it is not one. The root must describe an object
 * (`type: "object"` or no type), since payloads are JSON objects. Remote `$ref`s are never
 * fetched, so a schema that needs one is invalid.
 */
export function compileDatasetSchema(schema: unknown): ValidateFunction {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw invalidSchema([{ path: "", message: "must be a JSON object" }]);
  }
  if (nestsDeeperThan(schema, MAX_SCHEMA_DEPTH)) {
    throw invalidSchema([
      { path: "", message: `must not nest deeper than ${MAX_SCHEMA_DEPTH} levels` },
    ]);
  }
  const root = schema as Record<string, unknown>;
  // Ajv drops an empty fragment from ids, so "…/schema#" names the same meta-schema.
  const metaSchema =
    typeof root.$schema === "string" ? root.$schema.replace(/#$/, "") : root.$schema;
  if (metaSchema !== undefined && metaSchema !== DRAFT_2020_12) {
    // Ajv would answer 'no schema with key or ref …', which does not say what to do.
    throw invalidSchema([
      { path: "/$schema", message: `must be "${DRAFT_2020_12}" or absent`, keyword: "$schema" },
    ]);
  }
  if (!metaSchemaChecker.validateSchema(root)) {
    throw invalidSchema(
      (metaSchemaChecker.errors ?? []).map((error) => ({
        path: error.instancePath,
        message: error.message ?? "is invalid",
        keyword: error.keyword,
      })),
    );
  }
  if (root.type !== undefined && root.type !== "object") {
    throw invalidSchema([
      {
        path: "/type",
        message: 'must be "object" or absent: payloads are objects',
        keyword: "type",
      },
    ]);
  }
  // A fresh instance per schema: Ajv registers every `$id` it compiles, so a shared one would
  // refuse a dataset's next version (same `$id`) and let one dataset's schema `$ref` another's.
  const ajv = newAjv({ validateSchema: false });
  try {
    return ajv.compile(root);
  } catch (error) {
    // Strict-mode rejections, unknown formats, unresolvable `$ref`s and invalid patterns.
    throw invalidSchema([{ path: "", message: (error as Error).message }]);
  }
}

// Bulk writes validate thousands of payloads against the same dataset: compile once per schema
// version. Keyed by dataset id and checked against updatedAt, which every update moves forward
// (update-dataset.ts), so a changed schema is never served from the cache and a dataset holds one
// entry at most. Bounded so that many datasets cannot grow the process without limit.
const validators = new LRUCache<string, { version: number; validate: ValidateFunction }>({
  max: 500,
});

function validatorFor(dataset: Pick<Dataset, "id" | "updatedAt">, schema: unknown) {
  const version = dataset.updatedAt.getTime();
  const cached = validators.get(dataset.id);
  if (cached?.version === version) return cached.validate;
  const validate = compileDatasetSchema(schema);
  validators.set(dataset.id, { version, validate });
  return validate;
}

function pointerToken(property: string): string {
  return property.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * Ajv reports a missing or unexpected property on the object that holds it; the client wants the
 * property itself, so those errors point one level deeper.
 */
function toPayloadError(error: ErrorObject): PayloadError {
  const params = error.params as Record<string, unknown>;
  const at = (property: unknown) => `${error.instancePath}/${pointerToken(String(property))}`;
  switch (error.keyword) {
    case "required":
      return { path: at(params.missingProperty), message: "is required", keyword: error.keyword };
    case "dependentRequired":
      return {
        path: at(params.missingProperty),
        message: `is required when "${String(params.property)}" is present`,
        keyword: error.keyword,
      };
    case "additionalProperties":
      return {
        path: at(params.additionalProperty),
        message: "is not allowed: the schema does not define it (additionalProperties is false)",
        keyword: error.keyword,
      };
    case "unevaluatedProperties":
      return {
        path: at(params.unevaluatedProperty),
        message: "is not allowed: the schema does not define it (unevaluatedProperties is false)",
        keyword: error.keyword,
      };
    default:
      return {
        path: error.instancePath,
        message: error.message ?? "is invalid",
        keyword: error.keyword,
      };
  }
}

/**
 * Checks a record payload against its dataset's JSON Schema; a dataset without one accepts any
 * payload. Throws AppError("validation_failed") listing every failing path.
 */
export function validatePayload(
  dataset: Pick<Dataset, "id" | "updatedAt" | "jsonSchema">,
  payload: unknown,
): void {
  if (dataset.jsonSchema === null) return;
  const validate = validatorFor(dataset, dataset.jsonSchema);
  if (validate(payload)) return;
  throw new AppError(
    "validation_failed",
    "The payload does not match the dataset's schema.",
    (validate.errors ?? []).map(toPayloadError),
  );
}
