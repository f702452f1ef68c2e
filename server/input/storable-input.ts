import { AppError } from "../errors/app-error";

/**
 * How deep a JSON value may nest. Deeper documents are refused before they are parsed, so no
 * recursive step after the parser (validation, schema checks, jsonb text) can overflow the stack.
 */
export const MAX_JSON_DEPTH = 128;

export type InputProblem = { path: string; message: string; code: string };

/**
 * What PostgreSQL cannot store, whatever the column: a NUL character (text and jsonb refuse it)
 * and a lone UTF-16 surrogate (not a character at all: jsonb and UTF-8 text refuse it). Such input
 * is refused with a 400 that names the field, never silently stripped.
 */
export function textProblem(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (!text.isWellFormed()) return "contains a lone UTF-16 surrogate, which is not a character";
  return undefined;
}

// PostgreSQL's numeric (and so jsonb's numbers): at most 131072 digits before the decimal point
// and 16383 after it, exponent applied.
const NUMERIC_MAX_WEIGHT_DIGITS = 131_072;
const NUMERIC_MAX_SCALE = 16_383;
const NUMERIC_LITERAL = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Whether a decimal literal (`12.5`, `-1e-20`) fits PostgreSQL's numeric, which refuses what it
 * cannot hold exactly ("value overflows numeric format") where a double would round to 0 or ∞.
 */
export function fitsPgNumeric(literal: string): boolean {
  const match = NUMERIC_LITERAL.exec(literal);
  if (!match || (!match[1] && !match[2])) return false;
  const [, whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  if (Math.max(0, fraction.length - exponent) > NUMERIC_MAX_SCALE) return false;
  const firstSignificant = (whole + fraction).search(/[1-9]/);
  if (firstSignificant < 0) return true; // zero: only its scale matters
  return whole.length - firstSignificant + exponent <= NUMERIC_MAX_WEIGHT_DIGITS;
}

/** Every number token of JSON text fits PostgreSQL's numeric (see fitsPgNumeric). */
export function jsonNumbersFitPg(text: string): boolean {
  const withoutStrings = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [token] of withoutStrings.matchAll(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g)) {
    if (!fitsPgNumeric(token)) return false;
  }
  return true;
}

const pathOf = (parts: readonly (string | number)[]) => parts.map(String).join(".");

/**
 * The first thing in a decoded value that cannot be stored as it is: a string or key that
 * textProblem() refuses, or a number that is not finite (JSON `1e400` parses to Infinity, which
 * would be stored as null).
 */
export function findInputProblem(
  value: unknown,
  path: (string | number)[] = [],
): InputProblem | undefined {
  if (typeof value === "string") {
    const message = textProblem(value);
    return message ? { path: pathOf(path), message, code: "invalid_string" } : undefined;
  }
  if (typeof value === "number") {
    return Number.isFinite(value)
      ? undefined
      : {
          path: pathOf(path),
          message: "is a number beyond the range of a double (±1.8e308)",
          code: "number_out_of_range",
        };
  }
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = findInputProblem(value[i], [...path, i]);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyMessage = textProblem(key);
    if (keyMessage) {
      return { path: pathOf([...path, key]), message: `key ${keyMessage}`, code: "invalid_key" };
    }
    const problem = findInputProblem(item, [...path, key]);
    if (problem) return problem;
  }
  return undefined;
}

/** Throws the 400 for the first unstorable part of `value` (see findInputProblem). */
export function assertStorableInput(value: unknown, path: (string | number)[] = []): void {
  const problem = findInputProblem(value, path);
  if (problem) {
    throw new AppError("validation_failed", "The request is invalid.", [
      { path: problem.path, message: `The value ${problem.message}.`, code: problem.code },
    ]);
  }
}

/** The deepest nesting of arrays and objects in JSON text, or Infinity once past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return Infinity;
      }
    } else if (char === 0x7d || char === 0x5d) {
      depth--;
    }
  }
  return deepest;
}

/** The 400 for JSON text nesting deeper than MAX_JSON_DEPTH, measured before it is parsed. */
export function jsonDepthError(text: string): AppError | undefined {
  if (jsonDepth(text) <= MAX_JSON_DEPTH) return undefined;
  return new AppError(
    "invalid_json",
    `The JSON nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects.`,
    { max_depth: MAX_JSON_DEPTH },
  );
}

/**
 * JSON text from a client, parsed and checked: nesting at most MAX_JSON_DEPTH (checked before
 * parsing), then everything PostgreSQL could not store refused (findInputProblem). Every door
 * that reads JSON goes through here (tRPC parses its own, with the same two checks around it).
 */
export function parseJsonInput(text: string): unknown {
  const tooDeep = jsonDepthError(text);
  if (tooDeep) throw tooDeep;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_json", "The request body is not valid JSON.", {
      reason: (error as Error).message,
    });
  }
  assertStorableInput(value);
  return value;
}
