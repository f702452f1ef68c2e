import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { getConsoleUser } from "../../auth/console-user";
import { database } from "../../db/client";
import { env } from "../../env";
import { AppError } from "../../errors/app-error";
import { jsonDepthError } from "../../input/storable-input";
import { clientIpFrom } from "../rest/client-ip";
import { readBodyText } from "../rest/read-json-body";
import { requestIdFrom } from "../rest/request-id";
import { appRouter } from "./router";
import { appErrorOf } from "./trpc-errors";

/**
 * The input's JSON text, checked before tRPC parses it: a query's `input` parameter, or a POST's
 * body — read here, with REST's size limit (tRPC's fetch adapter has none), so tRPC gets a copy of
 * the request around the text. A refusal is answered by the procedures' input middleware, one
 * error per call of a batch, in tRPC's shape.
 */
async function checkInput(request: Request): Promise<{ request: Request; inputError?: AppError }> {
  if (request.method === "GET") {
    const text = new URL(request.url).searchParams.get("input");
    return { request, inputError: text ? jsonDepthError(text) : undefined };
  }
  if (request.method !== "POST" || !request.body) return { request };
  let text = "";
  let inputError: AppError | undefined;
  try {
    text = await readBodyText(request, env().LAKE_MAX_BODY_BYTES);
    inputError = jsonDepthError(text);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    inputError = error;
  }
  const copy = new Request(request.url, {
    method: "POST",
    headers: request.headers,
    body: text,
    signal: request.signal,
  });
  return { request: copy, inputError };
}

async function handler(received: Request) {
  const requestId = requestIdFrom(received.headers);
  const { request, inputError } = await checkInput(received);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => {
      let user: ReturnType<typeof getConsoleUser> | undefined;
      return {
        requestId,
        headers: request.headers,
        ip: clientIpFrom(request.headers),
        user: () => (user ??= getConsoleUser({ db: database(), headers: request.headers })),
        inputError,
      };
    },
    responseMeta: ({ errors }) => {
      // The console's data, per signed-in user: never kept by a browser or proxy cache.
      const headers = new Headers({ "X-Request-Id": requestId, "Cache-Control": "no-store" });
      // Retry-After and RateLimit-* of a refusal, as REST sends them.
      for (const error of errors) {
        for (const [name, value] of Object.entries(appErrorOf(error).headers ?? {})) {
          headers.set(name, value);
        }
      }
      return { headers };
    },
  });
}

export { handler as GET, handler as POST };
