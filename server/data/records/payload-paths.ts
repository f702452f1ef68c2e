import { AppError } from "../../errors/app-error";
import { MAX_PATH_DEPTH, PAYLOAD_SEGMENT } from "./query/record-query.schemas";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** "address.city" as its segments, with the query syntax's rules for a payload path. */
export function payloadPathOf(path: string): string[] {
  const segments = path.split(".");
  if (segments.length > MAX_PATH_DEPTH || !segments.every((s) => PAYLOAD_SEGMENT.test(s))) {
    throw new AppError("validation_failed", `"${path}" is not a payload path.`, {
      path,
      rule: `dot-separated names (letters, digits, _; not starting with a digit), at most ${MAX_PATH_DEPTH} deep`,
    });
  }
  return segments;
}

/**
 * A payload with `set` paths given their values and `unset` paths removed (a copy; the input is
 * untouched). Setting below a path creates the objects on the way; below a value that is not an
 * object it is refused, naming the path, rather than overwriting what is there.
 */
export function changePayload(
  payload: JsonObject,
  changes: { set?: Record<string, unknown>; unset?: readonly string[] },
): JsonObject {
  const result = structuredClone(payload);
  for (const [path, value] of Object.entries(changes.set ?? {})) {
    const segments = payloadPathOf(path);
    let node = result;
    for (const [i, segment] of segments.slice(0, -1).entries()) {
      const next = node[segment];
      if (next === undefined) node[segment] = {};
      else if (!isObject(next)) {
        throw new AppError(
          "validation_failed",
          `Cannot set "${path}": "${segments.slice(0, i + 1).join(".")}" is not an object.`,
          { path },
        );
      }
      node = node[segment] as JsonObject;
    }
    node[segments.at(-1)!] = value;
  }
  for (const path of changes.unset ?? []) {
    const segments = payloadPathOf(path);
    let node: unknown = result;
    for (const segment of segments.slice(0, -1)) node = isObject(node) ? node[segment] : undefined;
    if (isObject(node)) delete node[segments.at(-1)!];
  }
  return result;
}
