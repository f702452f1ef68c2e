import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

import { AppError } from "../../errors/app-error";
import { errorEnvelope, errorResponse } from "./error-response";
import { writeWebResponse } from "./node-route-adapter";

/**
 * What Node's HTTP parser refuses before any handler runs (an unknown method token, a malformed
 * request line, headers past the size limit) gets the envelope too, not Node's empty 400/431.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || (error.code === "ECONNRESET" && socket.destroyed)) {
    socket.destroy();
    return;
  }
  const appError =
    error.code === "HPE_HEADER_OVERFLOW"
      ? new AppError("headers_too_large", "The request's headers are larger than allowed.")
      : new AppError("bad_request", "The request is not valid HTTP.");
  const body = JSON.stringify(errorEnvelope(appError));
  socket.end(
    `HTTP/1.1 ${appError.status} ${appError.status === 431 ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** An `Expect` other than 100-continue: 417 in the envelope, not Node's empty one. */
export function answerFailedExpectation(req: IncomingMessage, res: ServerResponse): void {
  const error = new AppError(
    "expectation_failed",
    `Expect: ${String(req.headers.expect).slice(0, 100)} is not supported; only 100-continue is.`,
  );
  res.shouldKeepAlive = false;
  void writeWebResponse(res, errorResponse(error, String(req.headers["x-request-id"] ?? ""))).catch(
    () => res.destroy(),
  );
}
