import type { IncomingMessage, ServerResponse } from "node:http";

import { AppError } from "../../errors/app-error";
import { recordRequest } from "../../observability/metrics";
import { errorResponse } from "./error-response";
import { writeWebResponse } from "./node-route-adapter";
import { decodePathSegment } from "./path-segment";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

const isDecodable = (pathname: string) =>
  pathname.split("/").every((segment) => decodePathSegment(segment) !== undefined);

/** The methods a route answers, as Next answers them (HEAD with GET, OPTIONS always). */
function allowedMethods(methods: readonly string[]): string[] {
  const allowed = [...METHODS].filter((method) => methods.includes(method));
  if (allowed.includes("GET") && !allowed.includes("HEAD")) allowed.push("HEAD");
  if (!allowed.includes("OPTIONS")) allowed.push("OPTIONS");
  return allowed;
}

const isValidHost = (host: string | undefined) => {
  if (host === undefined) return true;
  try {
    return new URL(`http://${host}/`).host !== "";
  } catch {
    return false;
  }
};

/**
 * Requests that no handler could answer in the envelope, answered here before routing, for Next's
 * routes and the direct ones alike: a method HTTP handlers do not take (TRACE, CONNECT, …), a
 * Host header or a path that does not parse (Next would answer a text/plain 500, the adapter
 * nothing), an API route asked for a method it lacks (Next would answer an empty 405), and an
 * /api path no route serves (Next would answer its HTML 404 page).
 */
export function refuseUnroutable(
  findRoute: (pathname: string) => { pattern: string; module: readonly string[] } | undefined,
) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const method = req.method ?? "GET";
    const pathname = (req.url ?? "/").split("?", 1)[0]!;
    let error: AppError | undefined;
    let endpoint = "unroutable";
    if (!METHODS.has(method)) {
      error = new AppError("method_not_allowed", `The ${method} method is not supported.`);
    } else if (!isValidHost(req.headers.host) || !pathname.startsWith("/")) {
      error = new AppError("bad_request", "The request's Host header or target does not parse.");
    } else if (!isDecodable(pathname)) {
      error = new AppError("bad_request", "The path holds a malformed percent-escape.", {
        path: pathname.slice(0, 200),
      });
    } else {
      const found = findRoute(pathname);
      if (!found && pathname.startsWith("/api/")) {
        error = new AppError("not_found", `No such endpoint: ${method} ${pathname.slice(0, 200)}`);
      } else if (found) {
        const allowed = allowedMethods(found.module);
        if (!allowed.includes(method)) {
          endpoint = found.pattern;
          error = new AppError(
            "method_not_allowed",
            `${method} is not supported here; use ${allowed.join(", ")}.`,
            { allowed },
            { Allow: allowed.join(", ") },
          );
        }
      }
    }
    if (!error) return false;
    const requestId = String(req.headers["x-request-id"]);
    recordRequest({ endpoint, method, status: error.status, seconds: 0 });
    // The body, if any, is not read: the connection closes after the answer.
    res.shouldKeepAlive = false;
    void writeWebResponse(res, errorResponse(error, requestId)).catch(() => res.destroy());
    return true;
  };
}
