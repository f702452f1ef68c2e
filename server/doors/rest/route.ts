import { type Span } from "@opentelemetry/api";
import { type z } from "zod";

import type { Principal } from "../../auth/principal";
import { env } from "../../env";
import { assertStorableInput } from "../../input/storable-input";
import { logger } from "../../observability/logger";
import { recordRequest } from "../../observability/metrics";
import { type Door, withHttpRequestSpan } from "../../observability/request-span";
import { failSpan } from "../../observability/tracer";
import { AppError } from "../../errors/app-error";
import { jsonResponse } from "./json-response";
import { errorResponse } from "./error-response";
import { readJsonBody } from "./read-json-body";
import { requestIdFrom } from "./request-id";
import { toAppError } from "../../errors/to-app-error";

type Schema<T> = z.ZodType<T>;

export type RouteInput<B, Q, P> = {
  request: Request;
  requestId: string;
  /** Set by an authenticating guard (server/doors/rest/api-route.ts). */
  principal?: Principal;
  body: B;
  query: Q;
  params: P;
};

export type RouteConfig<B, Q, P> = {
  /** The route pattern (`/api/v1/lake/data/[id]`): the metrics label, log field and span name. */
  endpoint: string;
  /** The door its span names (`rest` unless said: GraphQL and tus are served through here too). */
  door?: Door;
  body?: Schema<B>;
  query?: Schema<Q>;
  params?: Schema<P>;
  /** Returns a Response, or data sent as JSON with `status` (200). */
  handler: (input: RouteInput<B, Q, P>) => Promise<Response | object>;
  status?: number;
  /**
   * Runs before the body is read: authentication, then rate limiting. Its headers go on the
   * response whatever happens next (RateLimit-* on a 400 too).
   */
  guard?: (input: {
    request: Request;
    requestId: string;
    headers: Headers;
  }) => Promise<Principal | undefined>;
  /** How a refusal is rendered: the envelope by default; the GraphQL door answers in its own format. */
  renderError?: (error: AppError, requestId: string) => Response;
};

type NextContext = { params?: Promise<Record<string, string | string[] | undefined>> };

function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set("X-Request-Id", requestId);
    return response;
  } catch {
    // Responses built by fetch have immutable headers: copy them.
    const copy = new Response(response.body, response);
    copy.headers.set("X-Request-Id", requestId);
    return copy;
  }
}

/**
 * The one wrapper around every route handler: its span (tracing), request id, input parsing and
 * validation with zod (415/413/400), the handler, errors rendered as the envelope, then a metric
 * and a log line.
 * Authentication and rate limits join here (identity issue), so every door gets the same rules.
 */
export function route<B = undefined, Q = undefined, P = undefined>(config: RouteConfig<B, Q, P>) {
  const door = config.door ?? "rest";
  return (request: Request, context?: NextContext): Promise<Response> =>
    withHttpRequestSpan(door, config.endpoint, request, (span) => answer(request, context, span));

  async function answer(request: Request, context: NextContext | undefined, span: Span) {
    const started = performance.now();
    const requestId = requestIdFrom(request.headers);
    const guardHeaders = new Headers();
    let response: Response;
    try {
      const principal = await config.guard?.({ request, requestId, headers: guardHeaders });
      const query = Object.fromEntries(new URL(request.url).searchParams);
      const params = (await context?.params) ?? {};
      // Path and query text is checked like bodies: PostgreSQL could store none of what it refuses.
      assertStorableInput({ path: params, query });
      const input: RouteInput<B, Q, P> = {
        request,
        requestId,
        principal,
        body: (config.body
          ? config.body.parse(await readJsonBody(request, env().LAKE_MAX_BODY_BYTES))
          : undefined) as B,
        query: (config.query ? config.query.parse(query) : undefined) as Q,
        params: (config.params ? config.params.parse(params) : undefined) as P,
      };
      const result = await config.handler(input);
      response =
        result instanceof Response ? result : jsonResponse(result, { status: config.status });
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.status >= 500) failSpan(span, thrown);
      if (error.code === "internal_error") {
        logger().error({ err: thrown, requestId, endpoint: config.endpoint }, "unhandled error");
      } else if (error.code === "database_unavailable") {
        logger().warn({ requestId, endpoint: config.endpoint }, "database unavailable");
      }
      response = (config.renderError ?? errorResponse)(error, requestId);
    }
    const seconds = (performance.now() - started) / 1000;
    recordRequest({
      endpoint: config.endpoint,
      method: request.method,
      status: response.status,
      seconds,
    });
    logger().info(
      {
        requestId,
        method: request.method,
        endpoint: config.endpoint,
        status: response.status,
        ms: Math.round(seconds * 1000),
      },
      "request",
    );
    const final = withRequestId(response, requestId);
    guardHeaders.forEach((value, name) => final.headers.set(name, value));
    // API answers are per caller and live: no cache may keep one (a token, a principal's records,
    // a 401) unless its handler says otherwise (the OpenAPI document does).
    if (!final.headers.has("cache-control")) final.headers.set("Cache-Control", "no-store");
    return final;
  }
}

/** A handler for paths and methods that exist nowhere: 404/405 in the envelope, still measured. */
export function notFound(endpoint: string) {
  return route({
    endpoint,
    handler: async ({ request }) => {
      throw new AppError(
        "not_found",
        `No such endpoint: ${request.method} ${new URL(request.url).pathname}`,
      );
    },
  });
}
