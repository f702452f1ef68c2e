import { apiRoute } from "../rest/api-route";
import { dataRateLimit } from "../rate-limits";
import { graphQLErrorResponse } from "./graphql-errors";
import { GRAPHQL_PATH, graphqlServer } from "./graphql-server";

/**
 * The GraphQL door: the REST door's authentication, data rate limit (one request, one charge,
 * the same RateLimit-* headers) and request id, then graphql-yoga with the caller's
 * ServiceContext. Each field's service checks its own permission and policy, as under REST.
 */
const handle = apiRoute({
  endpoint: GRAPHQL_PATH,
  door: "graphql",
  permission: "authenticated",
  rateLimit: dataRateLimit,
  renderError: graphQLErrorResponse,
  // handleRequest, not handle: handle also races the answer against the Request's abort signal
  // (a listener and three promises per request), which the Requests the custom server builds
  // never fire (node-route-adapter.ts); a subscription's SSE answer ends when its stream is
  // cancelled, as the client leaves.
  handler: async ({ request, services }) => graphqlServer().handleRequest(request, { services }),
});

export const GET = handle;
export const POST = handle;
