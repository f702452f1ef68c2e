import type { IncomingMessage, ServerResponse } from "node:http";
import { once } from "node:events";
import { Readable } from "node:stream";

import { BufferedBodyRequest } from "./buffered-request";
import { serializedBodyOf } from "./json-response";
import { isStreamedResponse } from "./streamed-response";
import { decodePathSegment } from "./path-segment";

type RouteParams = Record<string, string | string[]>;

/** A route module as Next sees it: Web handlers by HTTP method, and route params. */
export type WebHandler = (
  request: Request,
  context: { params: Promise<RouteParams> },
) => Promise<Response>;
export type RouteModule = Partial<
  Record<"GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS", WebHandler>
>;

// `[[...path]]` (optional: none or more segments) and `[...path]` (one or more).
const CATCH_ALL = /^\[\[\.\.\.(\w+)\]\]$|^\[\.\.\.(\w+)\]$/;

/**
 * Next's segment patterns: `[id]` matches one segment (`params.id`), a last `[[...path]]` any
 * number of them, none included, and a last `[...path]` at least one (`params.path`, an array).
 */
function matchSegments(pattern: string[], path: string[]): RouteParams | undefined {
  const params: RouteParams = {};
  const catchAll = CATCH_ALL.exec(pattern.at(-1) ?? "");
  const fixed = catchAll ? pattern.slice(0, -1) : pattern;
  const optional = catchAll?.[1] !== undefined;
  const least = catchAll && !optional ? fixed.length + 1 : fixed.length;
  if (catchAll ? path.length < least : path.length !== fixed.length) return undefined;
  for (let i = 0; i < fixed.length; i++) {
    const expected = fixed[i]!;
    const actual = path[i]!;
    if (expected.startsWith("[") && expected.endsWith("]")) {
      if (!actual) return undefined;
      const decoded = decodePathSegment(actual);
      if (decoded === undefined) return undefined;
      params[expected.slice(1, -1)] = decoded;
    } else if (expected !== actual) {
      return undefined;
    }
  }
  if (catchAll) {
    const rest = path.slice(fixed.length).map(decodePathSegment);
    if (rest.some((segment) => segment === undefined)) return undefined;
    params[(catchAll[1] ?? catchAll[2])!] = rest as string[];
  }
  return params;
}

/**
 * Bodies declaring at most this many bytes are read before the Request is built and handed over as
 * one Buffer: the Node → Web stream bridge (Readable.toWeb) cost more CPU per data-API POST than
 * the handler's own work (bench:rest, docs/decisions/0008). Node's parser stops a body at its
 * Content-Length, so no more than this is ever buffered; larger or chunked bodies still stream, and
 * the handler's own size limit (read-json-body.ts) applies to both.
 */
export const BUFFERED_BODY_MAX_BYTES = 64 * 1024;

type RequestBody = Buffer | ReadableStream<Uint8Array> | undefined;

function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers["content-length"];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

/** The whole body of a request that declared a small Content-Length; rejects if the client quits. */
function readSmallBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once("error", reject);
    req.once("close", () => {
      if (!req.complete) reject(new Error("request body aborted"));
    });
  });
}

/** Small bodies whole (see BUFFERED_BODY_MAX_BYTES), others as a stream, none for GET/HEAD. */
function bodyOf(req: IncomingMessage): RequestBody | Promise<RequestBody> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  const declared = declaredLength(req);
  if (declared !== undefined && declared <= BUFFERED_BODY_MAX_BYTES) return readSmallBody(req);
  return Readable.toWeb(req) as ReadableStream<Uint8Array>;
}

function toWebRequest(req: IncomingMessage, url: string, body: RequestBody): Request {
  // From req.headers, not rawHeaders: main.ts rewrites the request id and client address there,
  // replacing whatever a client sent under those names.
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const method = req.method ?? "GET";
  if (Buffer.isBuffer(body)) return new BufferedBodyRequest(url, { method, headers }, body);
  return new Request(url, {
    method,
    headers,
    body,
    // Required by undici for a streamed body; the handler reads it once.
    duplex: "half",
  } as RequestInit);
}

export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const eventStream = response.headers.get("content-type")?.startsWith("text/event-stream");
  if (response.body && (eventStream || isStreamedResponse(response))) {
    res.writeHead(response.status, headers);
    return pipeStream(response.body, res);
  }
  // JSON answers are small (bodies are capped, pages are bounded): one write, with a length. Those
  // made by jsonResponse() are written from their text, without reading their body stream.
  const serialized = serializedBodyOf(response);
  const body =
    serialized !== undefined
      ? Buffer.from(serialized)
      : response.body
        ? Buffer.from(await response.arrayBuffer())
        : undefined;
  if (body) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * Server-sent events (and streamed downloads) as they come, at the pace the client reads: the stream is read only when the
 * socket has room, so a slow client fills the stream's own buffer (which its producer watches),
 * not this process's memory. A client that leaves cancels the stream.
 */
async function pipeStream(body: ReadableStream<Uint8Array>, res: ServerResponse) {
  const reader = body.getReader();
  // The client may have left while the stream was being set up.
  let gone = res.destroyed || Boolean(res.socket?.destroyed);
  if (gone) {
    await reader.cancel().catch(() => undefined);
    return;
  }
  const closed = new Promise<void>((resolve) =>
    res.once("close", () => {
      gone = true;
      resolve();
    }),
  );
  void closed.then(() => reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || gone) break;
      if (!res.write(value)) await Promise.race([once(res, "drain"), closed]);
    }
  } catch (error) {
    // A stream that fails midway (the database went away during an export) must not end like a
    // complete body: the socket is cut, so the client sees a truncated transfer, not a short file.
    res.destroy(error as Error);
    throw error;
  } finally {
    if (!res.destroyed) res.end();
  }
}

/**
 * Finds the route of a path as Next would: catch-alls come last; static segments win over
 * [params] (`/data/archive` is not `/data/[id]`); between as many params, the longer static prefix
 * wins (`/import/jobs/[[...path]]` over `/import/[[...path]]`).
 */
export function routeMatcher<M>(routes: Record<string, M>) {
  const compiled = Object.entries(routes)
    .map(([pattern, module]) => ({ pattern, segments: pattern.split("/"), module }))
    .sort(
      (a, b) =>
        Number(isCatchAll(a)) - Number(isCatchAll(b)) ||
        dynamicSegments(a) - dynamicSegments(b) ||
        b.segments.length - a.segments.length,
    );
  return (pathname: string) => {
    const path = pathname.replace(/\/+$/, "").split("/");
    for (const route of compiled) {
      const params = matchSegments(route.segments, path);
      if (params) return { pattern: route.pattern, module: route.module, params };
    }
    return undefined;
  };
}

const isCatchAll = (route: { segments: string[] }) => CATCH_ALL.test(route.segments.at(-1) ?? "");

const dynamicSegments = (route: { segments: string[] }) =>
  route.segments.filter((segment) => segment.startsWith("[")).length;

/**
 * Serves Next route modules straight from node:http, with the same Web Request → Response
 * handlers Next would call (so auth, validation, limits and errors are the same code). Used for the
 * hot REST paths only, where a benchmark showed Next's per-request cost was the limit
 * (docs/decisions/0008). Returns false when no route matches, or the matching module has no
 * handler for the method (an empty module keeps a path Next's), so the caller hands the request on.
 */
export function nodeRouteAdapter(routes: Record<string, RouteModule>) {
  const match = routeMatcher(routes);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const found = match(url.pathname);
    if (found) {
      const { module, params } = found;
      const handler = module[req.method as keyof RouteModule];
      // Methods a module lacks (OPTIONS, HEAD, …) are Next's to answer, as they were before.
      if (!handler) return false;
      Promise.resolve(bodyOf(req))
        .then((body) =>
          handler(toWebRequest(req, url.href, body), { params: Promise.resolve(params) }),
        )
        .then((response) => writeWebResponse(res, response))
        .catch((error: unknown) => {
          // route() renders every error as the envelope; reaching here means the socket broke
          // (mid-body or mid-answer).
          if (!res.headersSent) res.writeHead(500);
          res.end();
          req.destroy(error as Error);
        });
      return true;
    }
    return false;
  };
}
