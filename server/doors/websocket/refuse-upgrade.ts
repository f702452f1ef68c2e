import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

import { type AppError } from "../../errors/app-error";
import { answeredEnvelope } from "../rest/error-response";

/**
 * Answers an upgrade with a plain HTTP error instead of switching protocols: the status of `error`
 * and the envelope as the body, as any REST route would, then closes the socket. Nothing reaches
 * the WebSocket layer, so a refused client never holds a connection.
 */
export function refuseUpgrade(socket: Duplex, error: AppError, requestId: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify(answeredEnvelope(error, requestId));
  const headers: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(body)),
    "Cache-Control": "no-store",
    "X-Request-Id": requestId,
    Connection: "close",
    ...error.headers,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  socket.once("finish", () => socket.destroy());
  socket.end(`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}\r\n${head}\r\n${body}`);
}
