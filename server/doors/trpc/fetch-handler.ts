import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { getConsoleUser } from "../../auth/console-user";
import { database } from "../../db/client";
import { clientIpFrom } from "../rest/client-ip";
import { requestIdFrom } from "../rest/request-id";
import { appRouter } from "./router";

function handler(request: Request) {
  const requestId = requestIdFrom(request.headers);
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
      };
    },
    responseMeta: () => ({ headers: new Headers({ "X-Request-Id": requestId }) }),
  });
}

export { handler as GET, handler as POST };
