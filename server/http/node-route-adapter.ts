import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";

type RouteParams = Record<string, string | string[]>;

/** A route module as Next sees it: Web handlers by HTTP method, and route params. */
export type WebHandler = (
  request: Request,
  context: { params: Promise<RouteParams> },
) => Promise<Response>;
export type RouteModule = Partial<
  Record<"GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS", WebHandler>
>;

type CompiledRoute = {
  segments: string[];
  module: RouteModule;
};

const CATCH_ALL = /^\[\[\.\.\.(\w+)\]\]$/;

/**
 * Next's segment patterns: `[id]` matches one segment (`params.id`), and a last `[[...path]]`
 * matches any number of them, none included (`params.path`, an array).
 */
function matchSegments(pattern: string[], path: string[]): RouteParams | undefined {
  const params: RouteParams = {};
  const catchAll = CATCH_ALL.exec(pattern.at(-1) ?? "");
  const fixed = catchAll ? pattern.slice(0, -1) : pattern;
  if (catchAll ? path.length < fixed.length : path.length !== fixed.length) return undefined;
  for (let i = 0; i < fixed.length; i++) {
    const expected = fixed[i]!;
    const actual = path[i]!;
    if (expected.startsWith("[") && expected.endsWith("]")) {
      if (!actual) return undefined;
      params[expected.slice(1, -1)] = decodeURIComponent(actual);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  if (catchAll) params[catchAll[1]!] = path.slice(fixed.length).map(decodeURIComponent);
  return params;
}

function toWebRequest(req: IncomingMessage, url: string): Request {
  // From req.headers, not rawHeaders: main.ts rewrites the request id and client address there,
  // replacing whatever a client sent under those names.
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Required by undici for a streamed body; the handler reads it once.
    duplex: "half",
  } as RequestInit);
}

async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  // JSON answers are small (bodies are capped, pages are bounded): one write, with a length.
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

const dynamicSegments = (route: CompiledRoute) =>
  route.segments.filter((segment) => segment.startsWith("[")).length;

/**
 * Serves Next route modules straight from node:http, with the same Web Request → Response
 * handlers Next would call (so auth, validation, limits and errors are the same code). Used for the
 * hot REST paths only, where a benchmark showed Next's per-request cost was the limit
 * (docs/decisions/0008). Returns false when no route matches, or the matching module has no
 * handler for the method (an empty module keeps a path Next's), so the caller hands the request on.
 */
export function nodeRouteAdapter(routes: Record<string, RouteModule>) {
  // Static segments win over [params], as in Next: `/data/archive` is not `/data/[id]`; between
  // as many params, the longer static prefix wins: `/import/jobs/[[...path]]` over `/import/[[...path]]`.
  const compiled: CompiledRoute[] = Object.entries(routes)
    .map(([pattern, module]) => ({ segments: pattern.split("/"), module }))
    .sort(
      (a, b) => dynamicSegments(a) - dynamicSegments(b) || b.segments.length - a.segments.length,
    );

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const path = url.pathname.replace(/\/+$/, "").split("/");
    for (const route of compiled) {
      const params = matchSegments(route.segments, path);
      if (!params) continue;
      const handler = route.module[req.method as keyof RouteModule];
      // Methods a module lacks (OPTIONS, HEAD, …) are Next's to answer, as they were before.
      if (!handler) return false;
      handler(toWebRequest(req, url.href), { params: Promise.resolve(params) })
        .then((response) => writeWebResponse(res, response))
        .catch((error: unknown) => {
          // route() renders every error as the envelope; reaching here means the socket broke.
          if (!res.headersSent) res.writeHead(500);
          res.end();
          req.destroy(error as Error);
        });
      return true;
    }
    return false;
  };
}
