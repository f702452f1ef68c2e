import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";

import { ImportInputError } from "./import-input-error";

const GZIP_MAGIC = [0x1f, 0x8b];
const READ_CHUNK_BYTES = 1024 * 1024;
/**
 * The most text handed to a parser at once. A parser turns a whole chunk into rows before anyone
 * can take them, and a parsed row costs a few hundred bytes of heap however short it is: 1 MB of
 * two short columns was ~80,000 rows (~36 MB) at once, more than the source thread's capped heap.
 * 16K characters are at most ~8,000 rows (one character each), typically a few hundred.
 */
export const SOURCE_CHUNK_CHARS = 16 * 1024;

/**
 * `text` in pieces of at most `size` characters, never splitting a surrogate pair (a parser that
 * encodes a piece as UTF-8 would turn each half into U+FFFD).
 */
export function* slices(text: string, size: number): Generator<string> {
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += end - 1 > start ? -1 : 1;
    yield text.slice(start, end);
    start = end;
  }
}

export type SourceText = {
  /**
   * The file as text, in chunks of at most SOURCE_CHUNK_CHARS: decompressed, strictly UTF-8
   * decoded, BOM removed.
   */
  chunks: AsyncIterable<string>;
  /** Bytes of the file (compressed, if it is) read so far: drives the validation ETA. */
  bytesRead(): number;
  gzip: boolean;
};

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await file.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await file.close();
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("Z_");
}

function isInvalidEncoding(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ERR_ENCODING_INVALID_ENCODED_DATA";
}

/**
 * Opens an upload for reading. Memory stays at a read or two whatever the file's size: the file
 * is streamed, gunzipped when it starts with gzip's magic (or must be, with `gzip: true`), and
 * decoded with a fatal UTF-8 decoder, so invalid bytes stop the import instead of becoming U+FFFD.
 */
export async function readSource(options: { path: string; gzip?: boolean }): Promise<SourceText> {
  const gzip = await startsWithGzipMagic(options.path);
  if (options.gzip === true && !gzip) {
    throw new ImportInputError("The file is not gzip-compressed, but the upload said it is.");
  }
  let bytesRead = 0;
  async function* chunks(): AsyncGenerator<string> {
    // No abort signal: a cancelled import ends the whole source thread (transformed-source.ts).
    const file = createReadStream(options.path, { highWaterMark: READ_CHUNK_BYTES });
    file.on("data", (chunk) => (bytesRead += chunk.length));
    const bytes = gzip ? file.pipe(createGunzip()) : file;
    if (gzip) file.on("error", (error) => bytes.destroy(error));
    // ignoreBOM false: a leading BOM is dropped, never taken for part of the first column name.
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let decoded = 0;
    try {
      for await (const chunk of bytes as AsyncIterable<Buffer>) {
        const text = decoder.decode(chunk, { stream: true });
        decoded += chunk.length;
        yield* slices(text, SOURCE_CHUNK_CHARS);
      }
      yield* slices(decoder.decode(), SOURCE_CHUNK_CHARS);
    } catch (error) {
      if (isInvalidEncoding(error)) {
        throw new ImportInputError(
          `The file is not valid UTF-8 (an invalid byte sequence follows byte ${decoded}${gzip ? " of the decompressed data" : ""}).`,
        );
      }
      if (isZlibError(error)) {
        throw new ImportInputError(
          `The gzip data is truncated or corrupt (${(error as Error).message}).`,
        );
      }
      throw error;
    } finally {
      file.destroy();
    }
  }
  return { chunks: chunks(), bytesRead: () => bytesRead, gzip };
}
