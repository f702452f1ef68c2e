/** The first elements of a JSON array, parsed; or why the text is no array the import can read. */
export type JsonArrayHead = { values: unknown[] } | { error: string };

/** JSON's own whitespace, the only text allowed around the array and between its elements. */
const isSpace = (c: string) => c === " " || c === "\n" || c === "\r" || c === "\t";

/**
 * Up to `max` elements of the top-level JSON array `text` starts with, each parsed on its own as
 * soon as it ends, the way the import splits the array (parse-json-array.ts on the server): a
 * scan that tracks only strings, escapes and nesting. So the head of a file cut anywhere, even
 * inside a string holding `}` or `,`, still yields every element before the cut, and the scan
 * stops once it has `max`. With `complete` false the text is a head: an element still open at
 * its end is dropped, and an array left open is no error.
 */
export function jsonArrayHead(
  text: string,
  options: { max: number; complete: boolean },
): JsonArrayHead {
  let state: "before" | "between" | "element" | "after" = "before";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = 0;
  const values: unknown[] = [];

  for (let i = 0; i < text.length && values.length < options.max; i++) {
    const c = text[i]!;
    if (state === "element") {
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth += 1;
      else if ((c === "}" || c === "]") && depth > 0) depth -= 1;
      else if (depth === 0 && (c === "," || c === "]")) {
        const element = text.slice(start, i).trim();
        const position = `Element ${values.length + 1} of the array`;
        if (!element) return { error: `${position} is empty.` };
        try {
          values.push(JSON.parse(element));
        } catch {
          return { error: `${position} is not valid JSON.` };
        }
        state = c === "]" ? "after" : "between";
      }
      continue;
    }
    if (isSpace(c) || (i === 0 && c === "\ufeff")) continue;
    if (state === "before") {
      if (c !== "[") return { error: "The file is not a JSON array: it must start with [." };
      state = "between";
    } else if (state === "between") {
      if (c === "]" && values.length === 0) state = "after";
      else {
        // The element starts here; this character is read again as its first.
        state = "element";
        start = i;
        i -= 1;
      }
    } else {
      return { error: `Unexpected text after the end of the JSON array: "${c}".` };
    }
  }

  if (values.length >= options.max || !options.complete) return { values };
  if (state === "before") return { error: "The file is empty." };
  if (state !== "after") {
    const count = `${values.length} element${values.length === 1 ? "" : "s"}`;
    return { error: `The JSON array is never closed: the file ends inside it (after ${count}).` };
  }
  if (values.length === 0) return { error: "The JSON array is empty: the file has no rows." };
  return { values };
}
