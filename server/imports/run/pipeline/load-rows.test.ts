import { describe, expect, it } from "vitest";

import { copyTextChunks } from "./load-rows";
import { copyLine } from "./row-transform";

const text = (lines: string[]) => new TextEncoder().encode(lines.join(""));
const chunksOf = (bytes: Uint8Array, rows: number) =>
  [...copyTextChunks(bytes, rows)].map((chunk) => new TextDecoder().decode(chunk));

describe("copyTextChunks", () => {
  it("cuts COPY text after every n rows, the rest last", () => {
    const lines = [1, 2, 3, 4, 5].map((n) => copyLine(n, `{"n": ${n}}`, null));
    expect(chunksOf(text(lines), 2)).toEqual([
      lines[0]! + lines[1]!,
      lines[2]! + lines[3]!,
      lines[4]!,
    ]);
    expect(chunksOf(text(lines), 5)).toEqual([lines.join("")]);
    expect(chunksOf(text([]), 5)).toEqual([]);
  });

  it("never cuts inside a row: a newline in a value is escaped, not a row's end", () => {
    const lines = [copyLine(1, "two\nlines", null), copyLine(2, '{"a": "é"}', null)];
    expect(lines[0]).toBe("1\ttwo\\nlines\t\\N\n");
    expect(chunksOf(text(lines), 1)).toEqual(lines);
  });
});
