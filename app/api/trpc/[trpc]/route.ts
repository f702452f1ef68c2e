import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { requestIdFrom } from "@/server/http/request-id";
import { appRouter } from "@/server/trpc/router";

export const dynamic = "force-dynamic";

function handler(request: Request) {
  const requestId = requestIdFrom(request.headers);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => ({ requestId, headers: request.headers }),
    responseMeta: () => ({ headers: new Headers({ "X-Request-Id": requestId }) }),
  });
}

export { handler as GET, handler as POST };
