/** Bytes of a file the preview reads: far more than 20 ordinary rows, and quick to decode. */
const HEAD_BYTES = 64 * 1024;

const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Up to `limit` decoded bytes of a stream; a stream that breaks after some is still a head. */
async function readUpTo(stream: ReadableStream<Uint8Array>, limit: number) {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  try {
    while (size < limit) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      parts.push(value);
      size += value.length;
    }
  } catch (error) {
    // A gzip cut at HEAD_BYTES ends in an error once its head is out: keep what was decoded.
    if (size === 0) throw error;
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return { bytes, ended };
}

/**
 * The text at the head of a file, for the preview: read with File.slice (never the whole file),
 * gunzipped in the browser when it starts with gzip's magic. `complete`: the text is all of it.
 */
export async function readFileHead(file: Blob): Promise<{ text: string; complete: boolean }> {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  let bytes = head;
  let complete = file.size <= HEAD_BYTES;
  if (isGzip(head)) {
    const { bytes: inflated, ended } = await readUpTo(
      file.stream().pipeThrough(new DecompressionStream("gzip")),
      HEAD_BYTES,
    );
    bytes = inflated.slice(0, HEAD_BYTES);
    complete = ended && inflated.length <= HEAD_BYTES;
  }
  // Not fatal on bad UTF-8: a character cut at the end, or a bad byte, still previews.
  return { text: new TextDecoder("utf-8").decode(bytes), complete };
}
