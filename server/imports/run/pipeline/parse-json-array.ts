import { ImportInputError } from "./import-input-error";
import {
  isPlainObject,
  MAX_ROW_CHARS,
  type RowBatches,
  type SourcePosition,
  type SourceRow,
} from "./source-row";

/**
 * A top-level JSON array, split into its elements as the text streams by: only the element being
 * read is held, never the whole array. The splitter tracks strings, escapes and nesting only;
 * each element is then parsed on its own, so a malformed element is a row error while a broken
 * array (no `[`, never closed, text after `]`) is fatal. Batches end after the comma that follows
 * an element, which is where a resumed run starts: given `start`, the chunks begin there, inside
 * the array, and `line` is the number of elements before it.
 */
export async function* parseJsonArray(
  chunks: AsyncIterable<string>,
  start?: SourcePosition,
): RowBatches {
  type State = "before" | "between" | "element" | "after";
  let state = (start ? "between" : "before") as State;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = "";
  let index = start?.line ?? 0;
  // UTF-8 bytes of the chunks before the current one.
  let chunkStart = start?.bytes ?? 0;

  const finish = (batch: SourceRow[]) => {
    const text = element.trim();
    element = "";
    if (!text) throw new ImportInputError(`Element ${index + 1} of the array is empty.`);
    index += 1;
    const line = index;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      batch.push({
        line,
        error: { line, column: null, reason: `is not JSON: ${(error as Error).message}` },
      });
      return;
    }
    batch.push(
      isPlainObject(value)
        ? { line, values: value, chars: text.length }
        : { line, error: { line, column: null, reason: "must be a JSON object" } },
    );
  };

  for await (const chunk of chunks) {
    const batch: SourceRow[] = [];
    let start = 0;
    // Just past the last comma that ended an element in this chunk (-1: none).
    let resumable = -1;
    let resumableLine = index;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (state === "element") {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === "\\") escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === "{" || c === "[") depth += 1;
        else if (c === "}" || c === "]") {
          if (depth > 0) depth -= 1;
          else {
            element += chunk.slice(start, i);
            finish(batch);
            state = "after";
          }
        } else if (c === "," && depth === 0) {
          element += chunk.slice(start, i);
          finish(batch);
          state = "between";
          resumable = i + 1;
          resumableLine = index;
        }
        continue;
      }
      if (c === " " || c === "\n" || c === "\r" || c === "\t") continue;
      if (state === "before") {
        if (c !== "[")
          throw new ImportInputError("The file is not a JSON array: it must start with [.");
        state = "between";
      } else if (state === "between") {
        if (c === "]" && index === 0) state = "after";
        else {
          state = "element";
          start = i;
          i -= 1; // read this character again as part of the element
        }
      } else {
        throw new ImportInputError(`Unexpected text after the end of the JSON array: "${c}".`);
      }
    }
    if (state === "element") {
      element += chunk.slice(start);
      if (element.length > MAX_ROW_CHARS) {
        throw new ImportInputError(
          `Element ${index + 1} of the array is longer than ${MAX_ROW_CHARS} characters.`,
        );
      }
    }
    // Only a batch whose last element ended at a comma ends where reading can resume.
    const end =
      resumable < 0 || resumableLine !== index
        ? null
        : { bytes: chunkStart + Buffer.byteLength(chunk.slice(0, resumable)), line: resumableLine };
    chunkStart += Buffer.byteLength(chunk);
    if (batch.length) yield { rows: batch, end };
  }
  if (state === "before") throw new ImportInputError("The file is empty.");
  if (state !== "after") {
    throw new ImportInputError(
      `The JSON array is never closed: the file ends inside it (after ${index} element${index === 1 ? "" : "s"}).`,
    );
  }
  if (index === 0) throw new ImportInputError("The JSON array is empty: the file has no rows.");
}
