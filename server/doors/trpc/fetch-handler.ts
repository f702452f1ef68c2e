import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { getConsoleUser } from "../../auth/console-user";
import { database } from "../../db/client";
import { jsonDepthError } from "../../input/storable-input";
import { clientIpFrom } from "../rest/client-ip";
import { requestIdFrom } from "../rest/request-id";
import { appRouter } from "./router";
import { appErrorOf } from "./trpc-errors";

/**
 * The input's JSON text, so its depth is measured before tRPC parses it: a query's `input`
 * parameter, or a POST's body — read here, so tRPC gets a copy of the request around the text.
 */
async function withInputText(request: Request): Promise<{ request: Request; text: string | null }> {
  if (request.method === "GET") {
    return { request, text: new URL(request.url).searchParams.get("input") };
  }
  if (request.method !== "POST" || !request.body) return { request, text: null };
  const text = await request.text();
  const copy = new Request(request.url, {
    method: "POST",
    headers: request.headers,
    body: text,
    signal: request.signal,
  });
  return { request: copy, text };
}

async function handler(received: Request) {
  const requestId = requestIdFrom(received.headers);
  const { request, text } = await withInputText(received);
  // Not thrown here: the procedures' input middleware answers with it, one error per call of a
  // batch, in tRPC's shape.
  const inputError = text ? jsonDepthError(text) : undefined;
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
      const headers = new Headers({ "X-Request-Id": requestId });
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
