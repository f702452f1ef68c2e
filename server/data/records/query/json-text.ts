import {
  findInputProblem,
  jsonDepth,
  jsonNumbersFitPg,
  textProblem,
} from "../../../input/storable-input";

// PostgreSQL's jsonb rejects some JSON that JavaScript accepts (NUL characters, lone surrogates,
// numbers beyond its range). Checking here turns those into a 400 naming the parameter instead of
// a database error; the rule itself is the one every door applies (server/input).

const MAX_DEPTH = 64;

/** Why PostgreSQL could not store this text, or undefined when it can. */
export function unstorableTextReason(text: string): string | undefined {
  return textProblem(text);
}

/**
 * Checks that `text` is JSON that jsonb accepts. The text itself (not a re-serialization) is what
 * goes to the database, so numbers keep their exact digits — and must fit numeric as written.
 */
export function checkJsonText(text: string): { ok: true } | { ok: false; reason: string } {
  if (jsonDepth(text, MAX_DEPTH) > MAX_DEPTH) return { ok: false, reason: "is nested too deeply" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: "is not valid JSON" };
  }
  const problem = findInputProblem(value);
  if (problem?.code === "number_out_of_range" || (!problem && !jsonNumbersFitPg(text))) {
    return { ok: false, reason: "has a number out of range" };
  }
  return problem ? { ok: false, reason: problem.message } : { ok: true };
}
