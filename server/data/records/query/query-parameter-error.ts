import { AppError } from "../../../errors/app-error";
import { MAX_PATH_DEPTH, PAYLOAD_SEGMENT, type PayloadPath } from "./record-query.schemas";

/**
 * The one error of the query syntax: a 400 whose message names the parameter and what is wrong
 * with it (`reason` reads after the parameter's name), with the same parts in `details`.
 */
export function queryParameterError(parameter: string, value: string, reason: string): AppError {
  return new AppError("bad_request", `Parameter "${clip(parameter)}" ${reason}.`, {
    parameter: clip(parameter),
    value: clip(value),
    reason,
  });
}

/** What an error echoes of the request: enough to recognise it, never a whole 200 KB value back. */
const ECHO_CHARACTERS = 200;
const clip = (text: string) =>
  text.length > ECHO_CHARACTERS ? `${text.slice(0, ECHO_CHARACTERS)}…` : text;

/** `a.b.c` (what follows `payload.`) as path segments; `parameter` and `value` name it in errors. */
export function parsePayloadPath(text: string, parameter: string, value: string): PayloadPath {
  const segments = text.split(".");
  const bad = segments.find((segment) => !PAYLOAD_SEGMENT.test(segment));
  if (bad !== undefined) {
    throw queryParameterError(
      parameter,
      value,
      bad === ""
        ? `has an empty payload path segment in "payload.${text}"`
        : `has an invalid payload path segment "${bad}" (segments are letters, digits and _, not starting with a digit)`,
    );
  }
  if (segments.length > MAX_PATH_DEPTH) {
    throw queryParameterError(
      parameter,
      value,
      `has a payload path deeper than ${MAX_PATH_DEPTH} segments`,
    );
  }
  return segments;
}
