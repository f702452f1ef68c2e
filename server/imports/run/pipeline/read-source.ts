import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";

import { ImportInputError } from "./import-input-error";

const GZIP_MAGIC = [0x1f, 0x8b];
const READ_CHUNK_BYTES = 1024 * 1024;

export type SourceText = {
  /** The file as text, chunk by chunk: decompressed, strictly UTF-8 decoded, BOM removed. */
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
 * Opens an upload for reading. Memory stays at a chunk or two whatever the file's size: the file
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
        if (text) yield text;
      }
      const rest = decoder.decode();
      if (rest) yield rest;
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
