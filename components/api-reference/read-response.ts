const MAX_BYTES = 256 * 1024;
/** A stream (server-sent events) never ends by itself: show what arrived in this long. */
const STREAM_WINDOW_MS = 3000;

export type TryItResponse = {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
  /** Why the body shown is not all of it, if it is not. */
  cut?: string;
  ms: number;
};

/** Pretty-prints JSON bodies; anything else is shown as it came. */
function present(text: string, contentType: string | null): string {
  if (!contentType?.includes("json")) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * Reads a response for display: at most 256 KB, and an event stream for three seconds (then the
 * request is aborted), so neither a large export nor a live stream can hang the page.
 */
export async function readResponse(
  response: Response,
  controller: AbortController,
  startedAt: number,
): Promise<TryItResponse> {
  const contentType = response.headers.get("content-type");
  const streaming = contentType?.includes("text/event-stream") ?? false;
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut: string | undefined;
  const reader = response.body?.getReader();
  const timer = streaming
    ? setTimeout(() => {
        cut = `An event stream: the first ${STREAM_WINDOW_MS / 1000} seconds are shown.`;
        controller.abort();
      }, STREAM_WINDOW_MS)
    : undefined;
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size >= MAX_BYTES) {
        cut = "Only the first 256 KB are shown.";
        controller.abort();
        break;
      }
    }
  } catch (error) {
    // The abort above ends the read; anything else is a real failure.
    if (!cut) throw error;
  } finally {
    clearTimeout(timer);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  const text = new TextDecoder().decode(bytes.subarray(0, MAX_BYTES));
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers.entries()],
    body: present(text, contentType),
    cut,
    ms: Math.round(performance.now() - startedAt),
  };
}
