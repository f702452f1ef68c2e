import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";

import { ImportInputError } from "./import-input-error";

const GZIP_MAGIC = [0x1f, 0x8b];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
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

async function readHead(path: string, length: number): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const head = Buffer.alloc(length);
    const { bytesRead } = await file.read(head, 0, length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

const startsWith = (bytes: Buffer, prefix: number[]) =>
  bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);

/**
 * The decompressed bytes after the first `count` (and after a byte-order mark, which positions
 * do not count): how a resumed run reaches its place in a gzip file, which cannot be seeked.
 */
async function* skipBytes(bytes: AsyncIterable<Buffer>, count: number): AsyncGenerator<Buffer> {
  let left = count;
  let first = true;
  for await (let chunk of bytes) {
    if (first && startsWith(chunk, UTF8_BOM)) left += UTF8_BOM.length;
    first = false;
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    if (left > 0) chunk = chunk.subarray(left);
    left = 0;
    yield chunk;
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
 * `skip` starts the text that many bytes in (a `SourcePosition`'s bytes: the BOM not counted) —
 * a plain file is opened there, a gzip file decompressed up to there.
 */
export async function readSource(options: {
  path: string;
  gzip?: boolean;
  skip?: number;
}): Promise<SourceText> {
  const skip = options.skip ?? 0;
  const head = await readHead(options.path, UTF8_BOM.length);
  const gzip = startsWith(head, GZIP_MAGIC);
  if (options.gzip === true && !gzip) {
    throw new ImportInputError("The file is not gzip-compressed, but the upload said it is.");
  }
  // A plain file is opened at the place (past its BOM, if it has one); gzip is read from its start.
  const start = gzip || skip === 0 ? 0 : skip + (startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0);
  let bytesRead = start;
  async function* chunks(): AsyncGenerator<string> {
    // No abort signal: a cancelled import ends the whole source thread (transformed-source.ts).
    const file = createReadStream(options.path, { highWaterMark: READ_CHUNK_BYTES, start });
    file.on("data", (chunk) => (bytesRead += chunk.length));
    const unzipped = gzip ? file.pipe(createGunzip()) : file;
    if (gzip) file.on("error", (error) => unzipped.destroy(error));
    const bytes: AsyncIterable<Buffer> =
      gzip && skip > 0 ? skipBytes(unzipped, skip) : (unzipped as AsyncIterable<Buffer>);
    // ignoreBOM false: a leading BOM is dropped, never taken for part of the first column name —
    // unless the text starts mid-file, where U+FEFF would be a character of a row.
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: skip > 0 });
    let decoded = skip;
    try {
      for await (const chunk of bytes) {
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
