import { AppError } from "../../errors/app-error";
import { parseJsonInput } from "../../input/storable-input";
import { bufferedBodyOf } from "./buffered-request";

/**
 * Reads a JSON body with the size limit enforced while reading (readBodyText). 415 for another
 * content type, 413 over the limit, 400 for JSON too deep or holding what PostgreSQL cannot store
 * (parseJsonInput).
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new AppError("unsupported_media_type", "The request body must be application/json.", {
      received: contentType || null,
    });
  }
  const text = await readBodyText(request, maxBytes);
  if (!text.trim()) throw new AppError("invalid_json", "The request body is empty; JSON expected.");
  return parseJsonInput(text);
}

/**
 * The body as UTF-8 text, with the size limit enforced while reading (a missing or lying
 * Content-Length cannot get past it): 413 over the limit.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new AppError(
      "payload_too_large",
      `The request body is larger than ${maxBytes} bytes. Send large loads to /api/v1/lake/import.`,
      { max_bytes: maxBytes },
    );
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) throw tooLarge();

  // Read whole by the custom server already (its length is the declared one), or streamed here.
  const buffered = bufferedBodyOf(request);
  if (buffered && buffered.length > maxBytes) throw tooLarge();
  return (buffered ?? (await readStream(request, maxBytes, tooLarge))).toString("utf8");
}

/** The body stream, read to its end unless it grows past `maxBytes`. */
async function readStream(
  request: Request,
  maxBytes: number,
  tooLarge: () => AppError,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}
